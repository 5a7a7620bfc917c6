extern alias lite;
using System.Diagnostics;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Export;
using SurrogateLibrary;
using static TorchSharp.torch;
using LiteSurrogate = lite::SurrogateLiteLibrary.DampedOscillatorNativeSurrogate;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// examples/SurrogateLiteLibrary: the same model source and weight file as examples/SurrogateLibrary, built against
/// NodeDsl.Prediction only, predicts what the TorchSharp surrogate predicts, and an app that uses it ships no libtorch.
/// </summary>
public sealed class SurrogateLiteExampleTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-surrogate-lite-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static readonly (double X0, double V0, double Zeta)[] Cases = [(0.5, -1.0, 0.1), (-0.3, 0.8, 0.45), (0.9, 0.0, 0.2), (0.0, 1.2, 0.05)];

    [Fact]
    public void TheLibtorchFreeSurrogatePredictsAsTheTorchSharpSurrogate()
    {
        // Range checks are the next test's subject; here only the numbers count.
        using var torchSurrogate = new DampedOscillatorSurrogate(new SurrogateOptions { RangePolicy = RangePolicy.Ignore });
        var native = new LiteSurrogate(RangePolicy.Ignore);
        Assert.Equal(torchSurrogate.Metadata.ModelType, native.Metadata.ModelType);
        Assert.Equal(torchSurrogate.Metadata.Created, native.Metadata.Created);
        Assert.Equal(torchSurrogate.StateNames, native.StateNames);
        Assert.Equal(torchSurrogate.InputNames, native.InputNames);
        Assert.False(native.IsFloat32);
        // Output times off the step grid (dense output between rk4 steps of 0.125).
        double[] times = [.. Enumerable.Range(0, 31).Select(i => i / 6.0)];
        foreach (var (x0, v0, zeta) in Cases)
        {
            var expected = torchSurrogate.Predict(x0, v0, zeta, times);
            var actual = native.Predict(x0, v0, zeta, times);
            // Same kernels, tableau, steps and weights in float64. When the runtime also solves natively the results are
            // identical; on its TorchSharp path only the order of summation inside a matmul differs (≈1e-16 relative per
            // operation), and 40 steps of a damped, contracting system do not amplify that beyond 1e-13: 1e-12 of the
            // trajectory's largest magnitude is a bound with room, and far below any modelling error (~1e-2).
            AssertClose(expected.Position, actual.Position, 1e-12);
            AssertClose(expected.Velocity, actual.Velocity, 1e-12);
        }
        // The batched overload solves all cases at once and agrees with the single solves to the same bound.
        var batch = native.Predict([.. Cases.Select(c => new[] { c.X0, c.V0 })], [.. Cases.Select(c => new[] { c.Zeta })], times);
        for (int b = 0; b < Cases.Length; b++)
            AssertClose(native.Predict(Cases[b].X0, Cases[b].V0, Cases[b].Zeta, times).Position, batch.State("x", b), 1e-12);
    }

    [Fact]
    public void BothSurrogatesRefuseTheSameOutOfRangeRequestWithTheSameException()
    {
        using var torchSurrogate = new DampedOscillatorSurrogate(new SurrogateOptions { RangePolicy = RangePolicy.Throw });
        var native = new LiteSurrogate(RangePolicy.Throw);
        double[] times = [0, 1, 2];
        var a = Assert.Throws<SurrogateRangeException>(() => torchSurrogate.Predict(0.5, 0, 0.8, times));
        var b = Assert.Throws<SurrogateRangeException>(() => native.Predict(0.5, 0, 0.8, times));
        Assert.Equal(a.Message, b.Message);
        Assert.Equal(a.Violations, b.Violations);
    }

    [Fact]
    public void Float32WeightsPredictInFloat32NearTheTorchSharpFloat32Surrogate()
    {
        // A float32 export of the committed weights (the model built in float32, the float64 weights copied in).
        var path = Path.Combine(folder, "oscillator32.nodew");
        using (var source = new DampedOscillatorSurrogate())
        using (var model32 = new DampedOscillator(new ModelOptions { DType = ScalarType.Float32 }))
        {
            var trained = source.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using (no_grad())
                foreach (var (name, p) in model32.named_parameters()) p.copy_(trained[name]);
            model32.SaveWeights(path, source.Metadata);
        }
        using var torch32 = new DampedOscillatorSurrogate(path, new SurrogateOptions { RangePolicy = RangePolicy.Ignore });
        var native32 = new LiteSurrogate(path, RangePolicy.Ignore);
        Assert.True(native32.IsFloat32);
        double[] times = [.. Enumerable.Range(0, 41).Select(i => 0.125 * i)];
        foreach (var (x0, v0, zeta) in Cases)
        {
            // float32 rounding (ε = 6e-8) in a different order of operations, over 40 steps of 4 stages: 1e-5 of the
            // largest magnitude bounds it with room, yet is 1000× below the distance to the float64 prediction's digits.
            AssertClose(torch32.Predict(x0, v0, zeta, times).Position, native32.Predict(x0, v0, zeta, times).Position, 1e-5);
        }
    }

    [Fact]
    public void ThePublishedLibtorchFreeConsumerHoldsNoTorchSharpAndPredicts()
    {
        var root = RepositoryPaths.Root;
        var output = Path.Combine(folder, "publish");
        var publish = Run("dotnet", $"publish \"{Path.Combine(root, "examples", "SurrogateLiteConsumer")}\" -c Release -o \"{output}\" --nologo", root);
        Assert.True(publish.Code == 0, publish.Output);
        var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("SurrogateLiteLibrary.dll", files);
        Assert.Contains("NodeDsl.Prediction.dll", files);
        Assert.DoesNotContain(files, f => f!.Contains("torch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => f!.StartsWith("NodeDsl.Runtime", StringComparison.Ordinal) || f!.StartsWith("NodeDsl.Generators", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f!.StartsWith("lib", StringComparison.Ordinal) && f!.EndsWith(".so", StringComparison.Ordinal));
        var run = Run("dotnet", $"\"{Path.Combine(output, "SurrogateLiteConsumer.dll")}\" --first-only", root);
        Assert.True(run.Code == 0, run.Output);
        Assert.StartsWith("first prediction: x(5) = ", run.Output, StringComparison.Ordinal);
    }

    static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"value {i}: {expected[i]:R} vs {actual[i]:R} (scale {scale:R})");
    }

    static (int Code, string Output) Run(string file, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
