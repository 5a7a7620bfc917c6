using TorchSharp;
using static TorchSharp.torch;
using static NodeDsl.Runtime.Tests.Solvers.Symplectic.HamiltonianProblems;

namespace NodeDsl.Runtime.Tests.Solvers.Symplectic;

/// <summary>How the partitioned methods find q and p, and what they say when they cannot.</summary>
public sealed class PhaseSpaceSplitTests
{
    [Fact]
    public void OddStateSizeIsRejectedWithTheConventionAndAnAlternative()
    {
        using var scope = NewDisposeScope();
        var y0 = State(1, 2, 3);
        var ex = Assert.Throws<OdeArgumentException>(() =>
            Ode.Solve((t, y) => y.neg(), y0, torch.tensor(new[] { 0.0, 1.0 }, ScalarType.Float64), NodeDsl.Runtime.Solvers.Leapfrog, new SolverOptions { StepSize = 0.1 }));
        Assert.Contains("odd number of components (3)", ex.Message);
        Assert.Contains("implicitmidpoint", ex.Message);
    }

    [Theory]
    [InlineData("leapfrog")]
    [InlineData("yoshida4")]
    public void InterleavedHamiltonianLayoutGivesTheSameStepsAsTheHalvesConvention(string name)
    {
        using var scope = NewDisposeScope();
        // Two oscillators (ω = 1 and 3) declared q1, p1, q2, p2 as a [HamiltonianModel] allows.
        var model = new InterleavedOscillators();
        var ts = torch.linspace(0, 3, 4, dtype: ScalarType.Float64);
        var options = new SolverOptions { StepSize = 0.1 };
        var solver = NodeDsl.Runtime.Solvers.ByName(name);
        var interleaved = Ode.Solve(model, State(1, 0.2, -0.5, 0.7), ts, solver, options).Ys;
        // The same system in (q1, q2, p1, p2) order, read through the halves convention.
        var halves = Ode.Solve((t, y) => torch.cat([y.narrow(1, 2, 2), y.narrow(1, 0, 2).mul(torch.tensor(new[] { -1.0, -9.0 }, ScalarType.Float64))], 1),
            State(1, -0.5, 0.2, 0.7), ts, solver, options).Ys;
        var reordered = halves.index_select(2, torch.tensor(new long[] { 0, 2, 1, 3 }));
        // Same arithmetic in a different column order: equal to round-off.
        Assert.True(interleaved.sub(reordered).abs().max().item<double>() < 1e-13);
    }

    [Fact]
    public void ModelWithANonHamiltonianStateIsRejected()
    {
        using var scope = NewDisposeScope();
        var model = new InterleavedOscillators(extraState: true);
        var ex = Assert.Throws<OdeArgumentException>(() => Ode.Solve(model, State(1, 0.2, -0.5, 0.7, 0), torch.tensor(new[] { 0.0, 1.0 }, ScalarType.Float64),
            NodeDsl.Runtime.Solvers.Leapfrog, new SolverOptions { StepSize = 0.1 }));
        Assert.Contains("other states (damping)", ex.Message);
    }

    [Fact]
    public void YoshidaCoefficientsSatisfyTheFourthOrderConditions()
    {
        var g = YoshidaCoefficients.Order4;
        // Order conditions of a symmetric triple jump (GNI II.4, eq. 4.4): Σγ = 1, Σγ³ = 0, γ1 = γ3.
        Assert.Equal(1.0, g.Sum(), 14);
        Assert.Equal(0.0, g.Sum(x => x * x * x), 14);
        Assert.Equal(g[0], g[2]);
    }

    /// <summary>A hand-written stand-in for a generated Hamiltonian model with layout q1, p1, q2, p2 (H = Σ (p² + ω² q²)/2).</summary>
    sealed class InterleavedOscillators(bool extraState = false) : OdeModel("InterleavedOscillators", MakeLayout(extraState), new ModelOptions { DType = ScalarType.Float64 })
    {
        static ModelLayout MakeLayout(bool extra) => new(
            [new("q1", 0, 1, StateKind.Coordinate), new("p1", 1, 1, StateKind.Momentum), new("q2", 2, 1, StateKind.Coordinate), new("p2", 3, 1, StateKind.Momentum),
             .. extra ? new StateInfo[] { new("damping", 4, 1, StateKind.State) } : []],
            [], [], []);

        // The extra (damping) state is constant: one rate per state component, as every system must return.
        public override Tensor Rates(Tensor t, Tensor y)
            => torch.cat([y.narrow(1, 1, 1), y.narrow(1, 0, 1).neg(), y.narrow(1, 3, 1), ScalarOps.Mul(y.narrow(1, 2, 1), -9),
                .. extraState ? new[] { torch.zeros_like(y.narrow(1, 4, 1)) } : []], 1);

        public override double[] ScalarRates(double t, double[] y, double[]? inputs = null)
            => [y[1], -y[0], y[3], -9 * y[2], .. extraState ? new[] { 0.0 } : []];
    }
}
