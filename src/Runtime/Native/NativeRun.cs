using System.Numerics;
using NodeDsl.Numerics;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>How a native solve is differentiated.</summary>
internal enum NativeGradient
{
    /// <summary>No gradient: forward only.</summary>
    None,
    /// <summary>The exact discrete adjoint over stored stages (<see cref="GradientMethod.Direct"/>).</summary>
    Direct,
    /// <summary>The exact discrete adjoint over stored step starts, stages recomputed (<see cref="GradientMethod.Checkpointed"/>).</summary>
    Checkpointed,
    /// <summary>Chen et al.'s backsolve adjoint (<see cref="GradientMethod.Backsolve"/>).</summary>
    Backsolve,
}

/// <summary>A native solve's forward and backward, independent of the element type.</summary>
internal interface INativeRun
{
    /// <summary>Counters of the forward solve (after <see cref="Forward"/>).</summary>
    SolverStats? ForwardStats { get; }

    /// <summary>Solves from <paramref name="y0"/> and returns the states at the output times, <c>[T, batch, n]</c>, without a graph.</summary>
    Tensor Forward(Tensor y0);

    /// <summary>∂L/∂y0 and the gradients of <see cref="IRatesVjp.Parameters"/> (null where not wanted) from ∂L/∂ys.</summary>
    (Tensor Dy0, Tensor?[] DParams) Backward(Tensor gradYs);
}

/// <summary>
/// One native solve of a generated model in <typeparamref name="T"/>: the kernels' field over the batch, the integrator
/// and, for gradients, the step tape and the reverse sweep. Parameters, inputs and time offsets are read once, at
/// construction. The arrays live in pooled <see cref="NativeBuffers{T}"/>, rented at construction and returned when the
/// solve is done with them: after the forward solve without a gradient, after the backward pass with one. A second
/// backward pass through the same graph (<c>retain_graph</c>) rents buffers again and repeats the forward solve from the
/// values kept at the first one's end, so it sees exactly what the first saw.
/// </summary>
internal sealed class NativeRun<T> : INativeRun where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly OdeModel model;
    readonly INativeKernels native;
    readonly IOdeSolver solver;
    readonly SolverOptions options;
    readonly RungeKuttaTableau tableau;
    readonly NativeGradient gradient;
    readonly AdjointOptions? adjoint;
    readonly GradientReport? report;
    readonly double[] times;
    readonly int rows, width;
    readonly RatesKernel<T> kernel;
    readonly IReadOnlyList<Tensor> vjpParameters;
    readonly Tensor? inputs;
    readonly bool hasOffsets;
    NativeBuffers<T>? buffers;
    // θ, inputs, offsets and y0 of this solve once its buffers went back to the pool (for a repeated backward pass).
    (T[] Theta, T[] Inputs, T[]? Offsets, T[] Y0)? kept;
    double forwardNextStep = double.NaN;

    /// <param name="vjpParameters">The model's <see cref="IRatesVjp.Parameters"/>, already checked against its kernel layout.</param>
    public NativeRun(OdeModel model, IReadOnlyList<Tensor> vjpParameters, RungeKuttaTableau tableau, IOdeSolver solver, SolverOptions options,
                     double[] times, int rows, NativeGradient gradient, AdjointOptions? adjoint, GradientReport? report)
    {
        (this.model, this.tableau, this.solver, this.options, this.times, this.rows) = (model, tableau, solver, options, times, rows);
        (this.gradient, this.adjoint, this.report) = (gradient, adjoint, report);
        native = (INativeKernels)model;
        var layout = native.KernelLayout;
        width = layout.StateSize;
        this.vjpParameters = vjpParameters;
        inputs = model.Inputs;
        // Offsets only matter where the model reads time (the generated TorchSharp rates ignore them otherwise).
        var offsets = layout.DependsOnTime ? model.TimeOffsets : null;
        hasOffsets = offsets is not null;
        kernel = NativeBufferPool.Kernel<T>(model);
        var b = buffers = NativeBufferPool.Rent(model, kernel, tableau, rows, times.Length, inputs is null ? 0 : (int)inputs.numel(), hasOffsets);
        // The eligibility check matched the parameters (the first blocks of IRatesVjp.Parameters) against the layout.
        NativeParameters.Read(layout, vjpParameters, b.Theta);
        if (inputs is not null) HostTensors.CopyTo(inputs, b.Inputs);
        if (offsets is not null)
        {
            using var expanded = offsets.expand(rows, 1);
            HostTensors.CopyTo(expanded, b.Offsets!);
        }
    }

    public SolverStats? ForwardStats { get; private set; }

    public Tensor Forward(Tensor start)
    {
        var b = buffers ?? throw new InvalidOperationException("A native solve runs its forward pass once.");
        HostTensors.CopyTo(start, b.Y0);
        SolveForward(b);
        ForwardStats = new SolverStats
        {
            FunctionEvaluations = b.Integrator.Evaluations, AcceptedSteps = b.Integrator.AcceptedSteps, RejectedSteps = b.Integrator.RejectedSteps,
        };
        var ys = HostTensors.Write<T>(b.Outputs, times.Length, rows, width);
        if (gradient == NativeGradient.None) Release(keep: false);
        return ys;
    }

    public (Tensor Dy0, Tensor?[] DParams) Backward(Tensor gradYs)
    {
        var b = Live();
        var g = b.GradOutputs;
        HostTensors.CopyTo(gradYs, g);
        var dy0 = b.GradY0;
        b.Field.ClearGradients();
        if (gradient == NativeGradient.Backsolve)
        {
            try
            {
                Backsolve(b, g, dy0);
            }
            catch (AdjointDriftException) when (adjoint!.FallbackToCheckpointed)
            {
                report!.FellBackToCheckpointed = true;
                b.Field.ClearGradients();
                var tape = b.Tape(storeStages: false);
                Integrate(b.Integrator, b.Field, b.Y0, times, options, tableau, b.Outputs, tape, null);
                Sweep(b, tape, g, dy0);
            }
        }
        else Sweep(b, b.Tape(gradient == NativeGradient.Direct), g, dy0);
        var result = (HostTensors.Write<T>(dy0, rows, width), ParameterGradients(b));
        Release(keep: true);
        return result;
    }

    // The forward solve on b (recording the tape the gradient needs).
    void SolveForward(NativeBuffers<T> b)
    {
        var tape = gradient is NativeGradient.Direct or NativeGradient.Checkpointed ? b.Tape(storeStages: gradient == NativeGradient.Direct) : null;
        Integrate(b.Integrator, b.Field, b.Y0, times, options, tableau, b.Outputs, tape, null);
        forwardNextStep = b.Integrator.NextStep;
    }

    // This solve's buffers: after a first backward pass, fresh ones with its values restored and the forward solve repeated.
    NativeBuffers<T> Live()
    {
        if (buffers is { } held) return held;
        var (theta, inputValues, offsets, y0) = kept ?? throw new InvalidOperationException("The native solve has no forward pass to differentiate.");
        var b = buffers = NativeBufferPool.Rent(model, kernel, tableau, rows, times.Length, inputValues.Length, hasOffsets);
        theta.CopyTo(b.Theta, 0);
        inputValues.CopyTo(b.Inputs, 0);
        offsets?.CopyTo(b.Offsets!, 0);
        y0.CopyTo(b.Y0, 0);
        SolveForward(b);
        return b;
    }

    // Gives the buffers back to the pool, keeping copies of what a repeated backward pass needs when asked to.
    void Release(bool keep)
    {
        if (buffers is not { } b) return;
        if (keep) kept = (b.Theta.ToArray(), b.Inputs.ToArray(), b.Offsets?.ToArray(), b.Y0.ToArray());
        buffers = null;
        NativeBufferPool.Return(model, b);
    }

    // The discrete adjoint over the tape (stages stored, or recomputed step by step for the checkpointed adjoint).
    void Sweep(NativeBuffers<T> b, StepTape<T> tape, T[] g, T[] dy0)
    {
        int before = b.Integrator.Evaluations;
        b.Sweep().Backpropagate(b.Field, tape, g, dy0, tape.StoresStages ? null : b.Integrator);
        if (!tape.StoresStages) report?.AddBackwardEvaluations(b.Integrator.Evaluations - before);
    }

    // Chen et al.'s backward solve of [y, a, θ̄] with the TorchSharp path's settings (BacksolveAdjoint.BackwardSolve).
    void Backsolve(NativeBuffers<T> b, T[] g, T[] dy0)
    {
        var layout = native.KernelLayout;
        var field = b.Field;
        var outputs = b.Outputs;
        int count = vjpParameters.Count, blocks = layout.Parameters.Count, n = field.Length, last = times.Length - 1;
        var wanted = Enumerable.Range(0, blocks).Select(i => vjpParameters[i].requires_grad).ToArray();
        bool inputsWanted = count > blocks && vjpParameters[blocks].requires_grad;
        var aug = new AugmentedField<T>(field, layout.Parameters, wanted, inputsWanted);
        var active = vjpParameters.Select(p => p.requires_grad).ToArray();
        var (backwardSolver, backward) = adjoint!.BackwardSolve(solver, options, aug.ParameterLength > 0
            ? new AdjointSystem((IRatesVjp)model, [rows, width], vjpParameters, active).SeminormTolerances
            : null);
        var backwardTableau = NativeMethods.TableauOf(backwardSolver, out var why)
            ?? throw new InvalidOperationException($"Native backsolve: {why}.");
        // The forward solve's last proposal starts the backward solve (as the TorchSharp path does).
        if (backwardTableau.IsAdaptive && StepControl.ChoosesFirstStep(backward) && double.IsFinite(forwardNextStep) && forwardNextStep > 0)
            backward = StepControl.WithFirstStep(backward, forwardNextStep);
        var drift = ReconstructionDrift.For(solver, options, backwardSolver, backward);
        var backwardTimes = times.Reverse().ToArray();
        aug.SetJumpData(outputs, g, times.Length);
        aug.BeforeJump = (k, y) => CheckDrift(drift, y, outputs, last - k, backwardTimes[k]);
        var z0 = new T[aug.Length];
        aug.Pack(outputs.AsSpan(last * n, n), g.AsSpan(last * n, n), z0);
        var backIntegrator = new RungeKuttaIntegrator<T>(backwardTableau, aug.Length);
        var zs = new T[times.Length * aug.Length];
        Integrate(backIntegrator, aug, z0, backwardTimes, backward, backwardTableau, zs, null, aug);
        report?.AddBackward(new SolverStats
        {
            FunctionEvaluations = backIntegrator.Evaluations, AcceptedSteps = backIntegrator.AcceptedSteps, RejectedSteps = backIntegrator.RejectedSteps,
        });
        var end = zs.AsSpan(last * aug.Length, aug.Length);
        CheckDrift(drift, end[..n], outputs, 0, times[0]);
        for (int i = 0; i < n; i++) dy0[i] = end[n + i] + g[i];
        aug.Unpack(end, field.GradTheta, field.GradInputs);
    }

    void CheckDrift(ReconstructionDrift drift, ReadOnlySpan<T> reconstructed, T[] outputs, int output, double t)
    {
        using var scope = NewDisposeScope();
        int n = reconstructed.Length;
        drift.Check(HostTensors.Write(reconstructed, rows, width), HostTensors.Write<T>(outputs.AsSpan(output * n, n), rows, width), t);
    }

    // θ̄ as one tensor per parameter and inputs̄ shaped like the inputs; null where not wanted.
    Tensor?[] ParameterGradients(NativeBuffers<T> b)
    {
        var layout = native.KernelLayout;
        var blocks = layout.Parameters.Count;
        var result = new Tensor?[vjpParameters.Count];
        for (int i = 0; i < blocks; i++)
        {
            var parameter = vjpParameters[i];
            if (!parameter.requires_grad) continue;
            var block = layout.Parameters[i];
            result[i] = HostTensors.Write<T>(b.Field.GradTheta.AsSpan(block.Offset, block.Length), parameter.shape);
        }
        if (result.Length > blocks && vjpParameters[blocks].requires_grad)
            result[blocks] = HostTensors.Write<T>(b.Field.GradInputs, inputs!.shape).to(inputs.dtype, inputs.device);
        return result;
    }

    static void Integrate<TField>(RungeKuttaIntegrator<T> integrator, TField f, ReadOnlySpan<T> start, double[] grid, SolverOptions o,
                                  RungeKuttaTableau tab, Span<T> results, StepTape<T>? stepTape, IOutputJump<T>? jump)
        where TField : IVectorField<T>
    {
        try
        {
            integrator.Solve(f, start, grid, NativeMethods.Settings(o), NativeMethods.Control(o, tab), results, stepTape, jump);
        }
        catch (IntegrationFailureException e)
        {
            throw NativeMethods.Translate(e);
        }
    }
}
