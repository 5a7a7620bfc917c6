using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.TestProblems;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>Every failure raises its own exception with the facts needed to fix it.</summary>
public class SolverErrorTests
{
    static Tensor Y0(params double[] v) => torch.tensor(v, [1, v.Length], ScalarType.Float64);

    [Fact]
    public void BlowUpGivesStepSizeUnderflow()
    {
        using var scope = NewDisposeScope();
        // y' = y², y(0) = 1 has y = 1/(1 − t): it blows up at t = 1, before the end time 2.
        var e = Assert.Throws<StepSizeUnderflowException>(() =>
            Ode.Solve((t, y) => y.square(), Y0(1), Times(0, 2), NodeDsl.Runtime.Solvers.Dopri5));
        // Near the pole |y| is ~1e15 and a step may carry the numerical solution a hair past t = 1 (seen: 1 + 2e-7).
        Assert.InRange(e.Time, 0.99, 1.001);
    }

    [Theory]
    [InlineData("dopri5")]
    [InlineData("rk4")]
    public void NaNRatesNameTheRow(string name)
    {
        using var scope = NewDisposeScope();
        var factor = torch.tensor(new double[] { 1, double.NaN, 1 }, [3, 1], ScalarType.Float64);
        var y0 = torch.ones(3, 2, ScalarType.Float64);
        var e = Assert.Throws<NonFiniteStateException>(() => Ode.Solve((t, y) => y.neg().mul(factor), y0, Times(0, 1),
            NodeDsl.Runtime.Solvers.ByName(name), new SolverOptions { StepSize = 0.1 }));
        Assert.Equal([1L], e.Rows);
        Assert.Contains("row(s) 1", e.Message);
    }

    [Fact]
    public void NaNAppearingMidwayNamesTheRowAndTime()
    {
        using var scope = NewDisposeScope();
        var isRow1 = torch.tensor(new double[] { 0, 1, 0 }, [3, 1], ScalarType.Float64).to_type(ScalarType.Bool);
        var nan = torch.tensor(double.NaN, ScalarType.Float64);
        // Row 1's rates become NaN from t = 0.5 on; the solver shrinks the step up to t = 0.5, then gives up.
        OdeFunc f = (t, y) => torch.where(isRow1.logical_and(t.gt(0.5)), nan, y.neg());
        var e = Assert.Throws<NonFiniteStateException>(() =>
            Ode.Solve(f, torch.ones(3, 2, ScalarType.Float64), Times(0, 1), NodeDsl.Runtime.Solvers.Dopri5));
        Assert.Equal([1L], e.Rows);
        Assert.InRange(e.Time, 0.4, 0.5);
    }

    [Fact]
    public void TooManyStepsIsReported()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<MaxStepsExceededException>(() => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, 10),
            NodeDsl.Runtime.Solvers.Dopri5, new SolverOptions { MaxSteps = 5 }));
        Assert.Equal(5, e.MaxSteps);
        Assert.True(e.Time > 0 && e.Time < 10);
        // A fixed step that cannot cover the span within MaxSteps is certain to fail, so it is refused before the first step.
        var fixedStep = Assert.Throws<OdeArgumentException>(() => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, 10),
            NodeDsl.Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.01, MaxSteps = 100 }));
        Assert.Contains("StepSize = 0.01 needs at least 1E+03 steps", fixedStep.Message);
        Assert.Contains("MaxSteps is 100", fixedStep.Message);
    }

    public static TheoryData<string, Func<OdeSolution>> BadArguments => new()
    {
        { "shape [batch, n]", () => Ode.Solve(LotkaVolterra, torch.ones(2, ScalarType.Float64), Times(0, 1), NodeDsl.Runtime.Solvers.Dopri5) },
        { "float32 or float64", () => Ode.Solve(LotkaVolterra, torch.ones(1, 2, ScalarType.Int32), Times(0, 1), NodeDsl.Runtime.Solvers.Dopri5) },
        { "1-D tensor", () => Ode.Solve(LotkaVolterra, Y0(1, 1), torch.zeros(2, 2, ScalarType.Float64), NodeDsl.Runtime.Solvers.Dopri5) },
        { "at least 2", () => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0), NodeDsl.Runtime.Solvers.Dopri5) },
        { "dtype", () => Ode.Solve(LotkaVolterra, Y0(1, 1), torch.tensor(new float[] { 0, 1 }), NodeDsl.Runtime.Solvers.Dopri5) },
        { "device", () => Ode.Solve(LotkaVolterra, Y0(1, 1), torch.zeros(2, ScalarType.Float64, device: torch.META), NodeDsl.Runtime.Solvers.Dopri5) },
        { "strictly increasing or strictly decreasing", () => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, 1, 0.5), NodeDsl.Runtime.Solvers.Dopri5) },
        { "strictly increasing or strictly decreasing", () => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, 1, 1), NodeDsl.Runtime.Solvers.Dopri5) },
        { "not finite", () => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, double.NaN), NodeDsl.Runtime.Solvers.Dopri5) },
        { "StepSize", () => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, 1), NodeDsl.Runtime.Solvers.Rk4) },
        { "components", () => Ode.Solve(LotkaVolterra, Y0(1, 1), Times(0, 1), NodeDsl.Runtime.Solvers.Dopri5, new SolverOptions { AbsoluteTolerances = [1e-6] }) },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentsAreRejectedBeforeSolving(string messagePart, Func<OdeSolution> solve)
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeArgumentException>(() => solve());
        Assert.Contains(messagePart, e.Message);
    }

    [Fact]
    public void InvalidTableausSayWhatIsWrong()
    {
        var rowSum = Assert.Throws<ArgumentException>(() => new ButcherTableau([0, 0.5], [[], [0.4]], [0, 1], 2));
        Assert.Contains("row 1 of a sums to 0.4", rowSum.Message);
        var weights = Assert.Throws<ArgumentException>(() => new ButcherTableau([0, 0.5], [[], [0.5]], [0.5, 0.6], 2));
        Assert.Contains("b sum to", weights.Message);
        var error = Assert.Throws<ArgumentException>(() =>
            new ButcherTableau([0, 1], [[], [1]], [0.5, 0.5], 2, errorWeights: [0.5, -0.4], errorOrder: 1));
        Assert.Contains("sum to", error.Message);
        var shape = Assert.Throws<ArgumentException>(() => new ButcherTableau([0, 1], [[], [1, 0]], [0.5, 0.5], 2));
        Assert.Contains("strictly lower triangular", shape.Message);
        var dense = Assert.Throws<ArgumentException>(() => new ButcherTableau([0, 1], [[], [1]], [0.5, 0.5], 2, dense: [[1], [0]]));
        Assert.Contains("θ = 1", dense.Message);
    }

    [Fact]
    public void ShippedTableausAreValidAndRegistered()
    {
        // Constructing each validates it (row sums, Σb = 1, Σ(b − b̂) = 0, dense output at θ = 1).
        foreach (var name in new[] { "euler", "midpoint", "heun", "rk4", "rk38", "bosh3", "dopri5", "tsit5", "dopri8" })
            Assert.Equal(name, NodeDsl.Runtime.Solvers.ByName(name.ToUpperInvariant()).Name);
        Assert.True(Tableaus.Dopri5.Tableau.IsFsal && Tableaus.Tsit5.Tableau.IsFsal && Tableaus.BogackiShampine.Tableau.IsFsal);
        Assert.False(Tableaus.Rk4.Tableau.IsFsal);
    }

    [Fact]
    public void UnknownSolverNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => NodeDsl.Runtime.Solvers.ByName("dopri7"));
        Assert.Contains("dopri5", e.Message);
        Assert.Contains("tsit5", e.Message);
    }
}
