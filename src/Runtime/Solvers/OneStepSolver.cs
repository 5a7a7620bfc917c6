using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>An <see cref="IOdeSolver"/> that runs a <see cref="OneStepMethod"/> in the shared <c>StepDriver</c>.</summary>
public sealed class OneStepSolver(OneStepMethod method) : IOdeSolver
{
    /// <summary>The step method.</summary>
    public OneStepMethod Method { get; } = method ?? throw new ArgumentNullException(nameof(method));

    /// <inheritdoc />
    public string Name => Method.Name;

    /// <inheritdoc />
    public int Order => Method.Order;

    /// <inheritdoc />
    public bool IsAdaptive => Method.IsAdaptive;

    /// <inheritdoc />
    public OdeSolution Integrate(IOdeSystem system, Tensor y0, Tensor ts, SolverOptions options)
        => StepDriver.Run(Method, system, y0, ts, options);

    /// <inheritdoc />
    public override string ToString() => Name;
}
