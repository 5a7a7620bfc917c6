using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// A neural ODE as a layer (Chen et al. 2018, §3): <c>h(t₁) = h(t₀) + ∫ f(t, h) dt</c>, where <c>f</c> is a generated
/// <see cref="OdeModel"/> (or any module that is an <see cref="IOdeSystem"/>), so it can sit between other layers of a
/// larger network, e.g. a convolutional stem and a linear head.
/// </summary>
/// <remarks>
/// <para>The input may have any shape <c>[batch, …]</c>; it is flattened to the model's state <c>[batch, n]</c>, integrated
/// from <see cref="OdeBlockOptions.StartTime"/> to <see cref="OdeBlockOptions.EndTime"/>, and the final state is returned in
/// the input's shape. A custom <c>[Neural(typeof(…))]</c> module of the model reshapes it back (e.g. to channels × height ×
/// width) to apply convolutions.</para>
/// <para>The field's parameters are registered under <c>field.*</c>. Gradients follow <see cref="OdeBlockOptions.Gradient"/>;
/// in evaluation (no grad) the block only solves. Each call adds to the counts returned by <see cref="TakeCounts"/>.</para>
/// </remarks>
public sealed class OdeBlock : nn.Module<Tensor, Tensor>, ISolveCounter
{
    readonly nn.Module field;
    readonly IOdeSystem system;
    readonly List<GradientReport> pending = new();
    SolveCounts counts;

    /// <summary>Wraps <paramref name="field"/>, a TorchSharp module that implements <see cref="IOdeSystem"/> (a generated model).</summary>
    /// <exception cref="ArgumentException"><paramref name="field"/> is not an <see cref="IOdeSystem"/>, or the options are invalid.</exception>
    public OdeBlock(string name, nn.Module field, OdeBlockOptions? options = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(field);
        system = field as IOdeSystem ?? throw new ArgumentException(
            $"The field {field.GetName()} of ODE block '{name}' must implement IOdeSystem; pass an [OdeModel] class or wrap your module.", nameof(field));
        Options = options ?? new OdeBlockOptions();
        Options.Validate();
        this.field = field;
        register_module("field", field);
    }

    /// <summary>The integration settings.</summary>
    public OdeBlockOptions Options { get; }

    /// <summary>The vector field.</summary>
    public IOdeSystem Field => system;

    /// <summary>Integrates each row of <paramref name="input"/> (<c>[batch, …]</c>) and returns the final states in its shape.</summary>
    /// <exception cref="ArgumentException">The input's size per row, dtype or device does not match the model.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() < 2)
            throw new ArgumentException($"ODE block '{GetName()}' takes a batch [batch, …] but got shape [{string.Join(", ", input.shape)}]; add a batch dimension with unsqueeze(0).", nameof(input));
        long batch = input.shape[0];
        long width = input.numel() / System.Math.Max(batch, 1);
        if (field is OdeModel model)
        {
            if (width != model.Layout.StateSize)
                throw new ArgumentException(
                    $"ODE block '{GetName()}' got {width} values per row (shape [{string.Join(", ", input.shape)}]) but its model {model.GetName()} has " +
                    $"{model.Layout.StateSize} state components; make the preceding layer produce {model.Layout.StateSize} values per row.", nameof(input));
            if (input.dtype != model.DType)
                throw new ArgumentException($"ODE block '{GetName()}' got {input.dtype} input but its model is {model.DType}; build the model with ModelOptions {{ DType = {input.dtype} }} or move the whole network with .to().", nameof(input));
        }
        using var scope = NewDisposeScope();
        var y0 = input.reshape(batch, width);
        var ts = tensor(new[] { Options.StartTime, Options.EndTime }, dtype: input.dtype, device: input.device);
        var solution = Ode.Solve(system, y0, ts, Options.Solver, Options.SolverOptions, Options.Gradient);
        counts += new SolveCounts(1, solution.Stats.FunctionEvaluations, 0);
        // The report's backward counters fill in when backward() runs; keep it only when a backward pass can follow.
        if (solution.Gradient is { } report && solution.Ys.requires_grad) pending.Add(report);
        return solution.Ys[-1].reshape(input.shape).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public SolveCounts TakeCounts()
    {
        long backward = pending.Sum(r => (long)(r.Backward?.FunctionEvaluations ?? 0));
        var taken = counts with { BackwardEvaluations = counts.BackwardEvaluations + backward };
        pending.Clear();
        counts = default;
        return taken;
    }
}
