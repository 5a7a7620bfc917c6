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
/// and, for gradients, the step tape and the reverse sweep. Parameters, inputs and time offsets are read once, at construction.
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
    readonly KernelField<T> field;
    readonly RungeKuttaIntegrator<T> integrator;
    readonly IReadOnlyList<Tensor> vjpParameters;
    readonly Tensor? inputs;
    StepTape<T>? tape;
    T[] y0 = [], outputs = [];
    double forwardNextStep = double.NaN;

    public NativeRun(OdeModel model, RungeKuttaTableau tableau, IOdeSolver solver, SolverOptions options, double[] times, int rows,
                     NativeGradient gradient, AdjointOptions? adjoint, GradientReport? report)
    {
        (this.model, this.tableau, this.solver, this.options, this.times, this.rows) = (model, tableau, solver, options, times, rows);
        (this.gradient, this.adjoint, this.report) = (gradient, adjoint, report);
        native = (INativeKernels)model;
        var layout = native.KernelLayout;
        width = layout.StateSize;
        var theta = new T[layout.ParameterCount];
        native.ReadParameters<T>(theta);
        inputs = model.Inputs;
        var inputValues = inputs is null ? [] : HostTensors.Read<T>(inputs);
        // Offsets only matter where the model reads time (the generated TorchSharp rates ignore them otherwise).
        var offsets = model.TimeOffsets is { } o && layout.DependsOnTime ? HostTensors.Read<T>(o.expand(rows, 1)) : null;
        field = new KernelField<T>(native.CreateKernel<T>(), rows, theta, inputValues, offsets);
        integrator = new RungeKuttaIntegrator<T>(tableau, field.Length);
        vjpParameters = ((IRatesVjp)model).Parameters;
    }

    public SolverStats? ForwardStats { get; private set; }

    public Tensor Forward(Tensor start)
    {
        y0 = HostTensors.Read<T>(start);
        outputs = new T[times.Length * field.Length];
        tape = gradient is NativeGradient.Direct or NativeGradient.Checkpointed
            ? new StepTape<T>(field.Length, tableau.Stages, storeStages: gradient == NativeGradient.Direct)
            : null;
        Integrate(integrator, field, y0, times, options, tableau, outputs, tape, null);
        forwardNextStep = integrator.NextStep;
        ForwardStats = new SolverStats
        {
            FunctionEvaluations = integrator.Evaluations, AcceptedSteps = integrator.AcceptedSteps, RejectedSteps = integrator.RejectedSteps,
        };
        return HostTensors.Write<T>(outputs, times.Length, rows, width);
    }

    public (Tensor Dy0, Tensor?[] DParams) Backward(Tensor gradYs)
    {
        var g = HostTensors.Read<T>(gradYs);
        var dy0 = new T[field.Length];
        field.ClearGradients();
        if (gradient == NativeGradient.Backsolve)
        {
            try
            {
                Backsolve(g, dy0);
            }
            catch (AdjointDriftException) when (adjoint!.FallbackToCheckpointed)
            {
                report!.FellBackToCheckpointed = true;
                field.ClearGradients();
                tape = new StepTape<T>(field.Length, tableau.Stages, storeStages: false);
                Integrate(integrator, field, y0, times, options, tableau, outputs, tape, null);
                Sweep(g, dy0);
            }
        }
        else Sweep(g, dy0);
        return (HostTensors.Write<T>(dy0, rows, width), ParameterGradients());
    }

    // The discrete adjoint over the tape (stages stored, or recomputed step by step for the checkpointed adjoint).
    void Sweep(T[] g, T[] dy0)
    {
        var sweep = new DiscreteAdjoint<T>(tableau, field.Length);
        int before = integrator.Evaluations;
        sweep.Backpropagate(field, tape!, g, dy0, tape!.StoresStages ? null : integrator);
        if (!tape.StoresStages) report?.AddBackwardEvaluations(integrator.Evaluations - before);
    }

    // Chen et al.'s backward solve of [y, a, θ̄] with the TorchSharp path's settings (BacksolveAdjoint.BackwardSolve).
    void Backsolve(T[] g, T[] dy0)
    {
        var layout = native.KernelLayout;
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
        aug.BeforeJump = (k, y) => CheckDrift(drift, y, last - k, backwardTimes[k]);
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
        CheckDrift(drift, end[..n], 0, times[0]);
        for (int i = 0; i < n; i++) dy0[i] = end[n + i] + g[i];
        aug.Unpack(end, field.GradTheta, field.GradInputs);
    }

    void CheckDrift(ReconstructionDrift drift, ReadOnlySpan<T> reconstructed, int output, double t)
    {
        using var scope = NewDisposeScope();
        int n = field.Length;
        drift.Check(HostTensors.Write(reconstructed, rows, width), HostTensors.Write<T>(outputs.AsSpan(output * n, n), rows, width), t);
    }

    // θ̄ as one tensor per parameter (views of one flat copy) and inputs̄ shaped like the inputs; null where not wanted.
    Tensor?[] ParameterGradients()
    {
        var blocks = native.KernelLayout.Parameters.Count;
        var result = new Tensor?[vjpParameters.Count];
        var perParameter = native.ToParameterTensors<T>(field.GradTheta);
        for (int i = 0; i < blocks; i++)
        {
            if (vjpParameters[i].requires_grad) result[i] = perParameter[i];
            else perParameter[i].Dispose();
        }
        if (result.Length > blocks && vjpParameters[blocks].requires_grad)
            result[blocks] = HostTensors.Write<T>(field.GradInputs, inputs!.shape).to(inputs.dtype, inputs.device);
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
