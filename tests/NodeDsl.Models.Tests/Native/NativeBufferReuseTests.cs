using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// Native solves of one model share pooled buffers (kernel field, integrator, step tape): a solve must never see another
/// solve's values. A second backward pass through a retained graph after another solve took the buffers must give the
/// first pass's gradients, and a solve after a parameter update must use the new parameters.
/// </summary>
public class NativeBufferReuseTests
{
    static readonly double[] Times = [0, 0.13, 0.4, 0.41, 0.9, 1.0];

    [Theory]
    [InlineData("rk4", "direct")]
    [InlineData("dopri5", "checkpointed")]
    [InlineData("dopri5", "backsolve")]
    public void RepeatedBackwardAfterAnotherSolveGivesTheFirstGradients(string solverName, string gradientName)
    {
        using var scope = NewDisposeScope();
        var solver = Solvers.ByName(solverName);
        var gradient = gradientName switch
        {
            "direct" => GradientMethod.Direct,
            "checkpointed" => GradientMethod.Checkpointed(),
            _ => GradientMethod.Backsolve(),
        };
        var options = solver.IsAdaptive
            ? new SolverOptions { Backend = Backend.Native }
            : new SolverOptions { StepSize = 0.05, Backend = Backend.Native };
        var model = BackendPair.Model(nameof(Spiral), 3);
        var ts = tensor(Times, ScalarType.Float64);
        var y0 = BackendPair.Random(3, 2, 0.8, 5, ScalarType.Float64).requires_grad_(true);
        var weights = BackendPair.Random(Times.Length * 3, 2, 1, 9, ScalarType.Float64).reshape(Times.Length, 3, 2);

        var loss = Ode.Solve(model, y0, ts, solver, options, gradient).Ys.mul(weights).sum();
        loss.backward(retain_graph: true);
        var first = Gradients(model, y0);

        // Another solve of the same model and shapes (different y0) takes the pooled buffers and overwrites them.
        Zero(model, y0);
        var other = BackendPair.Random(3, 2, 0.5, 7, ScalarType.Float64).requires_grad_(true);
        Ode.Solve(model, other, ts, solver, options, gradient).Ys.sum().backward();

        Zero(model, y0);
        loss.backward();
        var second = Gradients(model, y0);
        // The repeat recomputes the same forward solve from the kept θ and y0 with the same code: equal to the bit.
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i], second[i]);
    }

    [Fact]
    public void ASolveAfterAParameterUpdateUsesTheNewParameters()
    {
        using var scope = NewDisposeScope();
        var model = BackendPair.Model(nameof(Spiral), 3);
        var ts = tensor(Times, ScalarType.Float64);
        var y0 = BackendPair.Random(3, 2, 0.8, 5, ScalarType.Float64);
        var options = new SolverOptions { StepSize = 0.05 };
        using (no_grad()) Ode.Solve(model, y0, ts, Solvers.Rk4, options with { Backend = Backend.Native });
        using (no_grad())
            foreach (var p in model.parameters()) p.add_(0.1);
        var native = Ode.Solve(model, y0, ts, Solvers.Rk4, options with { Backend = Backend.Native }).Ys;
        var torch = Ode.Solve(model, y0, ts, Solvers.Rk4, options with { Backend = Backend.Torch }).Ys;
        // Same steps and arithmetic on both backends (NativeSolveTests' bound); stale θ would differ by ~0.1.
        Assert.True(native.sub(torch).abs().max().ToDouble() <= 1e-12 * torch.abs().max().ToDouble());
    }

    static List<double[]> Gradients(OdeModel model, Tensor y0)
        => [y0.grad!.data<double>().ToArray(), .. model.parameters().Select(p => p.grad!.data<double>().ToArray())];

    static void Zero(OdeModel model, Tensor y0)
    {
        model.zero_grad();
        y0.grad?.zero_();
    }
}
