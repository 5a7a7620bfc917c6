using NodeDsl;
using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests.Docs;

/// <summary>Two coupled springs, H = (p₁² + p₂²)/2 + (q₁² + q₂²)/2 + k(q₁ − q₂)²/2, coordinates declared first.</summary>
[HamiltonianModel]
public partial class CoupledSpringsBlocked
{
    [Coordinate] double q1, q2;
    [Momentum] double p1, p2;
    [Constant] double k = 0.5;

    [Energy]
    double H => (p1 * p1 + p2 * p2) / 2 + (q1 * q1 + q2 * q2) / 2 + k * (q1 - q2) * (q1 - q2) / 2;
}

/// <summary>The same system with each momentum declared after its coordinate.</summary>
[HamiltonianModel]
public partial class CoupledSpringsInterleaved
{
    [Coordinate] double q1;
    [Momentum] double p1;
    [Coordinate] double q2;
    [Momentum] double p2;
    [Constant] double k = 0.5;

    [Energy]
    double H => (p1 * p1 + p2 * p2) / 2 + (q1 * q1 + q2 * q2) / 2 + k * (q1 - q2) * (q1 - q2) / 2;
}

/// <summary>
/// docs/dsl.md, "Hamiltonian model": y holds the states in declaration order (all coordinates then all momenta only when
/// declared so), the i-th momentum pairs with the i-th coordinate, and the symplectic solvers read the split from the layout.
/// </summary>
public sealed class HamiltonianStateOrderTests
{
    [Fact]
    public void TheStateVectorFollowsDeclarationOrder()
    {
        Assert.Equal([("q1", 0), ("q2", 1), ("p1", 2), ("p2", 3)], new CoupledSpringsBlocked().Layout.States.Select(s => (s.Name, s.Offset)));
        Assert.Equal([("q1", 0), ("p1", 1), ("q2", 2), ("p2", 3)], new CoupledSpringsInterleaved().Layout.States.Select(s => (s.Name, s.Offset)));
        Assert.Equal([StateKind.Coordinate, StateKind.Momentum, StateKind.Coordinate, StateKind.Momentum],
            new CoupledSpringsInterleaved().Layout.States.Select(s => s.Kind));
    }

    [Fact]
    public void EachMomentumPairsWithItsCoordinateInEitherOrder()
    {
        // Hamilton's equations at (q1, q2, p1, p2) = (0.3, −0.7, 1.1, 0.4), k = 0.5:
        // q1' = p1, q2' = p2, p1' = −q1 − k(q1 − q2), p2' = −q2 + k(q1 − q2). Polynomials: exact in float64 up to round-off.
        double q1 = 0.3, q2 = -0.7, p1 = 1.1, p2 = 0.4, k = 0.5;
        double[] expected = [p1, p2, -q1 - k * (q1 - q2), -q2 + k * (q1 - q2)];
        var blocked = new CoupledSpringsBlocked(ModelOptions.Float64()).ScalarRates(0, [q1, q2, p1, p2]);
        var interleaved = new CoupledSpringsInterleaved(ModelOptions.Float64()).ScalarRates(0, [q1, p1, q2, p2]);
        Assert.All(expected.Zip(blocked), p => Assert.Equal(p.First, p.Second, 1e-15));
        double[] reordered = [expected[0], expected[2], expected[1], expected[3]];
        Assert.All(reordered.Zip(interleaved), p => Assert.Equal(p.First, p.Second, 1e-15));
    }

    [Fact]
    public void LeapfrogGivesTheSameMotionForBothDeclarationOrders()
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0, 5, 11, ScalarType.Float64);
        var options = new SolverOptions { StepSize = 0.05 };
        var blocked = Ode.Solve(new CoupledSpringsBlocked(ModelOptions.Float64()), tensor(new[] { 0.3, -0.7, 1.1, 0.4 }, [1, 4], ScalarType.Float64),
            ts, Solvers.Leapfrog, options).Ys;
        var interleaved = Ode.Solve(new CoupledSpringsInterleaved(ModelOptions.Float64()), tensor(new[] { 0.3, 1.1, -0.7, 0.4 }, [1, 4], ScalarType.Float64),
            ts, Solvers.Leapfrog, options).Ys;
        // Same kicks and drifts in another column order: equal to round-off (1e-13 over 100 steps of O(1) values).
        var reordered = interleaved.index_select(2, tensor(new long[] { 0, 2, 1, 3 }));
        Assert.True(blocked.sub(reordered).abs().max().item<double>() < 1e-13);
    }
}
