using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>Batched Jacobians by autograd and by finite differences against the analytic Van der Pol Jacobian.</summary>
public class RatesJacobianTests
{
    const double Mu = 3.0;

    [Fact]
    public void AutogradGivesTheExactJacobianOfEveryRowWithNBackwardPasses()
    {
        using var scope = NewDisposeScope();
        var (y, expected) = Points();
        var counters = new SolveCounters();
        var system = StiffProblems.VanDerPol(Mu);
        var f0 = system.Rates(tensor(0.0, float64), y);
        var j = RatesJacobian.Evaluate(system, tensor(0.0, float64), y, f0, JacobianMethod.Autograd, counters);
        // Autograd is exact up to round-off of a handful of operations.
        Assert.True(j.allclose(expected, rtol: 0, atol: 1e-13));
        Assert.Equal(1, counters.JacobianEvaluations);
        Assert.Equal(1, counters.FunctionEvaluations);
        Assert.False(j.requires_grad);
    }

    [Fact]
    public void FiniteDifferencesAreUsedWhenTheRatesAreNotDifferentiable()
    {
        using var scope = NewDisposeScope();
        var (y, expected) = Points();
        var counters = new SolveCounters();
        var inner = StiffProblems.VanDerPol(Mu);
        // Detaching inside the rates cuts the graph to y: autograd has nothing to differentiate.
        var system = new DelegateOdeSystem((t, x) => inner.Rates(t, x.detach()));
        var f0 = system.Rates(tensor(0.0, float64), y);
        var j = RatesJacobian.Evaluate(system, tensor(0.0, float64), y, f0, JacobianMethod.Autograd, counters);
        // Forward differences with δ = √(u·|y|) ≈ 3e-8: truncation δ·|∂²f|/2 (|∂²f| ≤ 2μ·4 = 24) plus round-off
        // u·|f|/δ (|f| ≲ 50) give up to ~1e-6 here; 1e-5 leaves room without hiding a wrong column (entries are O(1–50)).
        double error = j.sub(expected).abs().max().item<double>();
        Assert.True(error < 1e-5, $"finite-difference Jacobian off by {error}: {j.str()}");
        Assert.Equal(1, counters.JacobianEvaluations);
        Assert.Equal(1 + 2, counters.FunctionEvaluations); // the probing forward pass, then one per column
    }

    /// <summary>Three rows at different states and the analytic Jacobians [[0, 1], [−2μxy − 1, μ(1 − x²)]].</summary>
    static (Tensor Y, Tensor J) Points()
    {
        double[,] y = { { 2, 0 }, { -1.5, 0.7 }, { 0.3, -4 } };
        var j = new double[3, 2, 2];
        for (int r = 0; r < 3; r++)
        {
            double x = y[r, 0], v = y[r, 1];
            (j[r, 0, 0], j[r, 0, 1], j[r, 1, 0], j[r, 1, 1]) = (0, 1, -2 * Mu * x * v - 1, Mu * (1 - x * x));
        }
        return (tensor(y, float64), tensor(j, float64));
    }
}
