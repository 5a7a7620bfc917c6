using NodeDsl.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AugmentedNode;

/// <summary>The read-out of a batch: the score w·z(1) + b, the final state z(1) and the forward solve's NFE.</summary>
public sealed record ClassifierOutput(Tensor Scores, Tensor Features, int ForwardEvaluations);

/// <summary>
/// Dupont et al.'s ODE classifier: z(0) = (x, 0_p), z(1) from the flow on t ∈ [0, 1] (Dormand–Prince, rtol = atol),
/// score = Linear(d + p → 1)(z(1)), outside the ODE. Parameters: the flow's (<c>flow.*</c>) and the read-out's
/// (<c>readout.*</c>).
/// </summary>
public sealed class OdeClassifier : nn.Module
{
    readonly OdeModel flow;
    readonly Linear readout;
    readonly SolverOptions solverOptions;

    /// <summary>Wraps <paramref name="flow"/> and creates a read-out seeded from the flow's seed.</summary>
    /// <param name="tolerance">Relative and absolute tolerance of the Dormand–Prince solve.</param>
    public OdeClassifier(string name, OdeModel flow, double tolerance) : base(name)
    {
        ArgumentNullException.ThrowIfNull(flow);
        this.flow = flow;
        // Index 1000: a stream of its own, apart from those of the flow's networks (indices 0, 1, …).
        readout = SeededConstruction.Create(flow.Options.Seed, 1000,
            () => nn.Linear(flow.Layout.StateSize, 1, hasBias: true, device: flow.Device, dtype: flow.DType));
        solverOptions = new SolverOptions { RelativeTolerance = tolerance, AbsoluteTolerance = tolerance };
        RegisterComponents();
    }

    /// <summary>The vector field.</summary>
    public OdeModel Flow => flow;

    /// <summary>Observed (2) plus augmented (p) dimensions.</summary>
    public int StateSize => flow.Layout.StateSize;

    /// <summary>Augmented dimensions p.</summary>
    public int AugmentedSize => flow.Layout.StateSize - flow.Layout.ObservedSize;

    /// <summary>Read-out weight w (length d + p) and bias b, as doubles.</summary>
    public (double[] Weight, double Bias) Readout()
    {
        using var w = readout.weight!.detach().to(ScalarType.Float64, CPU).flatten();
        using var b = readout.bias!.detach().to(ScalarType.Float64, CPU);
        return (w.data<double>().ToArray(), b.item<double>());
    }

    /// <summary>
    /// Classifies <paramref name="x"/> (<c>[batch, 2]</c>): with grad mode on, the solve is differentiated by
    /// <see cref="GradientMethod.Direct"/> (backprop through the solver's steps, as Dupont et al.'s non-adjoint runs).
    /// </summary>
    public ClassifierOutput Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        using var ts = tensor(new[] { 0.0, 1.0 }, dtype: flow.DType, device: flow.Device);
        var solution = Ode.Solve(flow, flow.Augment(x), ts, Solvers.Dopri5, solverOptions, GradientMethod.Direct);
        var features = solution.Ys[-1];
        var scores = readout.forward(features).squeeze(-1);
        return new ClassifierOutput(scores.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope(), solution.Stats.FunctionEvaluations);
    }

    /// <summary>The states z(t) at <paramref name="times"/> (<c>[T]</c>, from 0), <c>[T, batch, d + p]</c>, without a graph.</summary>
    public Tensor Trajectories(Tensor x, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Ode.Solve(flow, flow.Augment(x), times, Solvers.Dopri5, solverOptions).Ys.MoveToOuterDisposeScope();
    }
}
