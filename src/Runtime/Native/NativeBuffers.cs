using System.Numerics;
using System.Runtime.CompilerServices;
using NodeDsl.Numerics;

namespace NodeDsl.Runtime;

/// <summary>
/// Everything a native solve allocates that depends only on its shapes: θ, inputs and offsets as the kernels read them, the
/// kernel field with its workspace and gradients, the integrator, the step tape, the reverse sweep and the host copies
/// of y0, the outputs and their cotangents. A training loop solves the same model with the same shapes every iteration, so
/// <see cref="NativeBufferPool"/> hands the same set back each time: after the first solve the tape has grown to the solve's
/// length and a solve allocates none of these again.
/// </summary>
internal sealed class NativeBuffers<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly RungeKuttaTableau tableau;
    readonly int times, inputLength;
    readonly bool hasOffsets;
    StepTape<T>? tape;
    DiscreteAdjoint<T>? sweep;

    public NativeBuffers(RatesKernel<T> kernel, RungeKuttaTableau tableau, int rows, int times, int inputLength, bool hasOffsets)
    {
        (this.tableau, this.times, this.inputLength, this.hasOffsets) = (tableau, times, inputLength, hasOffsets);
        Theta = new T[kernel.Layout.ParameterCount];
        Inputs = new T[inputLength];
        Offsets = hasOffsets ? new T[rows] : null;
        Field = new KernelField<T>(kernel, rows, Theta, Inputs, Offsets);
        Integrator = new RungeKuttaIntegrator<T>(tableau, Field.Length);
        Y0 = new T[Field.Length];
        Outputs = new T[times * Field.Length];
        GradOutputs = new T[Outputs.Length];
        GradY0 = new T[Field.Length];
    }

    /// <summary>θ, read by <see cref="Field"/>.</summary>
    public T[] Theta { get; }
    /// <summary>Per-trajectory inputs (or one shared row), read by <see cref="Field"/>.</summary>
    public T[] Inputs { get; }
    /// <summary>Per-row time offsets, read by <see cref="Field"/>, or null.</summary>
    public T[]? Offsets { get; }
    /// <summary>The kernels as a vector field over the batch.</summary>
    public KernelField<T> Field { get; }
    /// <summary>The forward integrator.</summary>
    public RungeKuttaIntegrator<T> Integrator { get; }
    /// <summary>Host copy of y0.</summary>
    public T[] Y0 { get; }
    /// <summary>The states at the output times, <c>[times, batch·n]</c>.</summary>
    public T[] Outputs { get; }
    /// <summary>∂L/∂ys, shaped like <see cref="Outputs"/>.</summary>
    public T[] GradOutputs { get; }
    /// <summary>∂L/∂y0.</summary>
    public T[] GradY0 { get; }

    /// <summary>
    /// The step tape (stages stored or not), cleared by the next solve that records on it; kept between solves. With the
    /// stages it also keeps every evaluation's record (the networks' activations, up to the tape's budget), so the direct
    /// gradient's VJPs do not evaluate the networks again.
    /// </summary>
    public StepTape<T> Tape(bool storeStages)
    {
        if (tape is null || tape.StoresStages != storeStages)
            tape = new StepTape<T>(Field.Length, tableau.Stages, storeStages, storeStages ? Field.RecordLength : 0);
        return tape;
    }

    /// <summary>The reverse sweep of <see cref="Tape"/>.</summary>
    public DiscreteAdjoint<T> Sweep() => sweep ??= new DiscreteAdjoint<T>(tableau, Field.Length);

    /// <summary>True when these buffers serve a solve of this kernel, method and shapes.</summary>
    public bool Fits(RatesKernel<T> kernel, RungeKuttaTableau method, int rows, int outputTimes, int inputs, bool offsets)
        => ReferenceEquals(Field.Kernel, kernel) && ReferenceEquals(tableau, method) && Field.Rows == rows
           && times == outputTimes && inputLength == inputs && hasOffsets == offsets;
}

/// <summary>
/// One idle <see cref="NativeBuffers{T}"/> per model: a solve rents it (or makes a new one when the shapes differ or another
/// solve holds it) and returns it when it no longer needs it, so concurrent solves of one model never share buffers. The
/// model's kernel is made once and kept here too (generated kernels are stateless; they read the model's constants).
/// </summary>
internal static class NativeBufferPool
{
    static readonly ConditionalWeakTable<OdeModel, Slot> Slots = new();

    sealed class Slot
    {
        public object? Idle;
        public object? Kernel;
    }

    /// <summary>The model's kernel in <typeparamref name="T"/>, made on first use.</summary>
    public static RatesKernel<T> Kernel<T>(OdeModel model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var slot = Slots.GetValue(model, _ => new Slot());
        if (Volatile.Read(ref slot.Kernel) is RatesKernel<T> kernel) return kernel;
        kernel = ((INativeKernels)model).CreateKernel<T>();
        Volatile.Write(ref slot.Kernel, kernel);
        return kernel;
    }

    /// <summary>Buffers for a solve of <paramref name="model"/> with these shapes: the idle set when it fits, else a new one.</summary>
    public static NativeBuffers<T> Rent<T>(OdeModel model, RatesKernel<T> kernel, RungeKuttaTableau tableau, int rows, int times, int inputs, bool offsets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var slot = Slots.GetValue(model, _ => new Slot());
        if (Interlocked.Exchange(ref slot.Idle, null) is NativeBuffers<T> idle && idle.Fits(kernel, tableau, rows, times, inputs, offsets))
            return idle;
        return new NativeBuffers<T>(kernel, tableau, rows, times, inputs, offsets);
    }

    /// <summary>Makes <paramref name="buffers"/> the model's idle set (the caller must not touch them afterwards).</summary>
    public static void Return<T>(OdeModel model, NativeBuffers<T> buffers) where T : unmanaged, IFloatingPointIeee754<T>
        => Volatile.Write(ref Slots.GetValue(model, _ => new Slot()).Idle, buffers);
}
