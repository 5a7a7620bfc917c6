using NodeDsl.Runtime.Export;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Export;

/// <summary>A surrogate of <see cref="TinyOscillator"/> loaded from bytes or from a (missing) embedded resource.</summary>
internal sealed class TinySurrogate : Surrogate<TinyOscillator>
{
    public TinySurrogate(byte[] weights, SurrogateOptions? options = null)
        : base(o => new TinyOscillator(dtype: o.DType), new MemoryStream(weights), "tiny.nodew", options) { }

    public TinySurrogate(Stream weights, SurrogateOptions? options = null)
        : base(o => new TinyOscillator(dtype: o.DType), weights, "tiny.nodew", options) { }

    public TinySurrogate(string resourceName) : base(o => new TinyOscillator(dtype: o.DType), resourceName) { }
}

public sealed class SurrogateTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-surrogate-").FullName;
    static readonly double[] Times = [0.0, 0.5, 1.0, 1.5, 2.0];

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static WeightMetadata Metadata(string solver = "dopri5") => new()
    {
        States = [new ValueRange("x", -1, 1), new ValueRange("v", -2, 2)],
        Inputs = [new ValueRange("mu", 0.1, 0.5)],
        Time = new ValueRange("t", 0, 2),
        Solver = solver,
        RelativeTolerance = 1e-9,
        AbsoluteTolerance = 1e-11,
    };

    byte[] Export(TinyOscillator model, WeightMetadata? metadata = null)
    {
        var path = Path.Combine(folder, "tiny.nodew");
        model.SaveWeights(path, metadata ?? Metadata());
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void PredictionsEqualASolveOfTheTrainedModelWithTheSolverAndTolerancesOfTheMetadata()
    {
        using var trained = new TinyOscillator(seed: 3);
        using var surrogate = new TinySurrogate(Export(trained));
        Assert.Equal("dopri5", surrogate.Solver.Name);
        Assert.Equal((1e-9, 1e-11), (surrogate.SolverOptions.RelativeTolerance, surrogate.SolverOptions.AbsoluteTolerance));
        Assert.Equal(["x", "v"], surrogate.StateNames);
        Assert.Equal(["mu"], surrogate.InputNames);

        var p = surrogate.Predict([[0.5, -1.0], [0.2, 0.3]], [[0.2], [0.4]], Times);

        using var scope = NewDisposeScope();
        trained.Inputs = tensor(new[] { 0.2, 0.4 }, [2, 1], ScalarType.Float64);
        var expected = Ode.Solve(trained, tensor(new[] { 0.5, -1.0, 0.2, 0.3 }, [2, 2], ScalarType.Float64),
            tensor(Times, ScalarType.Float64), NodeDsl.Runtime.Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-11 }).Ys;
        // Same weights, dtype, solver and options: the same operations, so equality is exact.
        for (int b = 0; b < 2; b++)
        {
            Assert.Equal(expected.select(1, b).select(1, 0).data<double>().ToArray(), p.State("x", b));
            Assert.Equal(expected.select(1, b).select(1, 1).data<double>().ToArray(), p.State("v", b));
        }
        Assert.Equal(p.State("x"), p["x"]);
        Assert.Equal(p.State("v", 1)[2], p.Values(1)[2, 1]);
        Assert.Equal(0.5, p["x"][0]);            // the first output is the initial state
        Assert.Empty(p.RangeViolations);
        Assert.Null(surrogate.Model.Inputs);     // a prediction leaves no inputs behind
    }

    [Fact]
    public void TheThrowPolicyRejectsValuesOutsideTheTrainedRangeNamingThem()
    {
        using var trained = new TinyOscillator();
        using var surrogate = new TinySurrogate(Export(trained), new SurrogateOptions { RangePolicy = RangePolicy.Throw });
        var e = Assert.Throws<SurrogateRangeException>(() => surrogate.Predict([0.5, 0.0], [0.8], [0.0, 3.0]));
        Assert.Equal(2, e.Violations.Count);
        Assert.Equal(new RangeViolation("input", "mu", 0.8, new ValueRange("mu", 0.1, 0.5), 0), e.Violations[0]);
        Assert.Equal(("time", 3.0), (e.Violations[1].Quantity, e.Violations[1].Value));
        Assert.Contains("input mu = 0.8 lies outside the trained range [0.1, 0.5]", e.Message);
        Assert.Contains("time t = 3 lies outside the trained range [0, 2]", e.Message);
        Assert.Contains("set the surrogate's RangePolicy to Warn or Ignore", e.Message);

        var inside = surrogate.Predict([1.0, -2.0], [0.1], [0.0, 2.0]);   // the ends of every range are inside
        Assert.Empty(inside.RangeViolations);
    }

    [Fact]
    public void TheWarnPolicyRaisesTheEventAndStillPredicts()
    {
        using var trained = new TinyOscillator();
        using var surrogate = new TinySurrogate(Export(trained));
        Assert.Equal(RangePolicy.Warn, surrogate.RangePolicy);
        var warnings = new List<SurrogateRangeEventArgs>();
        surrogate.RangeWarning += (_, e) => warnings.Add(e);

        var p = surrogate.Predict([[0.5, 0.0], [1.5, 0.0]], [[0.3], [0.3]], Times);
        var warning = Assert.Single(warnings);
        var violation = Assert.Single(warning.Violations);
        Assert.Equal(("initial state", "x", 1.5, 1), (violation.Quantity, violation.Name, violation.Value, violation.Trajectory));
        Assert.Contains("initial state x = 1.5 lies outside the trained range [-1, 1] (trajectory 1)", warning.Message);
        Assert.Equal(warning.Violations, p.RangeViolations);
        Assert.Equal(1.5, p.State("x", 1)[0]);

        surrogate.RangePolicy = RangePolicy.Ignore;
        Assert.Empty(surrogate.Predict([1.5, 0.0], [0.3], Times).RangeViolations);
        Assert.Single(warnings);
    }

    [Fact]
    public void WrongArgumentsNameWhatIsExpected()
    {
        using var trained = new TinyOscillator();
        using var surrogate = new TinySurrogate(Export(trained));
        Assert.Contains("needs 2 values (x, v)", Assert.Throws<ArgumentException>(() => surrogate.Predict([0.5], [0.3], Times)).Message);
        Assert.Contains("one input row (mu) per initial state", Assert.Throws<ArgumentException>(() => surrogate.Predict([0.5, 0.0], null, Times)).Message);
        Assert.Contains("No predicted state named 'y'", Assert.Throws<ArgumentException>(() => surrogate.Predict([0.5, 0.0], [0.3], Times)["y"]).Message);
    }

    [Fact]
    public void AMissingEmbeddedResourceNamesTheResourceAndHowToEmbedIt()
    {
        var e = Assert.Throws<WeightFileException>(() => new TinySurrogate("Tiny.Weights.tiny.nodew"));
        Assert.Contains("has no embedded resource 'Tiny.Weights.tiny.nodew'", e.Message);
        Assert.Contains("<EmbeddedResource", e.Message);
    }

    [Fact]
    public void WeightsOfAnotherModelTypeAreRefused()
    {
        using var trained = new TinyOscillator();
        var bytes = Export(trained);
        var file = WeightFile.Read(new MemoryStream(bytes), "x");
        var path = Path.Combine(folder, "other.nodew");
        WeightFile.Write(path, file.Metadata with { ModelType = "Other.Model" }, file.Tensors);
        var e = Assert.Throws<WeightFileException>(() => new TinySurrogate(File.ReadAllBytes(path)));
        Assert.Contains("exported from Other.Model, but it builds NodeDsl.Runtime.Tests.Export.TinyOscillator", e.Message);
    }

    [Fact]
    public void AFixedStepSolverFromTheMetadataIsUsedWithItsStepSize()
    {
        using var trained = new TinyOscillator(seed: 4);
        using var surrogate = new TinySurrogate(Export(trained, Metadata("rk4") with { StepSize = 0.25 }));
        Assert.Equal(("rk4", (double?)0.25), (surrogate.Solver.Name, surrogate.SolverOptions.StepSize));
        var p = surrogate.Predict([0.5, 0.0], [0.3], Times);
        using var scope = NewDisposeScope();
        trained.Inputs = tensor(new[] { 0.3 }, [1, 1], ScalarType.Float64);
        var expected = Ode.Solve(trained, tensor(new[] { 0.5, 0.0 }, [1, 2], ScalarType.Float64), tensor(Times, ScalarType.Float64),
            NodeDsl.Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.25 }).Ys.select(1, 0).select(1, 0).data<double>().ToArray();
        Assert.Equal(expected, p["x"]);
    }
}
