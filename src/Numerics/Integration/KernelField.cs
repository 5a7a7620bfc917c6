using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// A model's <see cref="RatesKernel{T}"/> as a vector field for the native integrator: the batch's state is one flat span,
/// θ and the inputs are fixed for the solve, row <c>r</c> is evaluated at <c>t + TimeOffsets[r]</c> when offsets are given
/// (training windows on a relative grid), and the vector–Jacobian products accumulate <c>aᵀ∂f/∂θ</c> into
/// <see cref="GradTheta"/> and <c>aᵀ∂f/∂inputs</c> into <see cref="GradInputs"/>. Evaluations can be recorded
/// (<see cref="RatesKernel{T}.RecordRates"/>) so that a VJP at the same point skips the networks' forward pass.
/// </summary>
public sealed class KernelField<T> : IRecordingVectorField<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly RatesKernel<T> kernel;
    readonly T[] theta, inputs, f, inputScratch, time;
    readonly T[]? offsets;
    readonly KernelWorkspace<T> workspace;

    /// <summary>A field over <paramref name="rows"/> trajectories.</summary>
    /// <param name="kernel">The model's kernel.</param>
    /// <param name="rows">Trajectories in the batch.</param>
    /// <param name="theta">The parameters (<c>[ParameterCount]</c>); kept, not copied.</param>
    /// <param name="inputs">Per-trajectory inputs (<c>[rows, k]</c> or one shared row, empty without inputs); kept, not copied.</param>
    /// <param name="timeOffsets">Per-row time offsets (<c>[rows]</c>) or null.</param>
    public KernelField(RatesKernel<T> kernel, int rows, T[] theta, T[] inputs, T[]? timeOffsets)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(inputs);
        if (timeOffsets is not null && timeOffsets.Length != rows)
            throw new ArgumentException($"timeOffsets must hold one value per row ({rows}) but has {timeOffsets.Length}.", nameof(timeOffsets));
        this.kernel = kernel;
        (Rows, Length) = (rows, rows * kernel.Layout.StateSize);
        (this.theta, this.inputs, offsets) = (theta, inputs, timeOffsets);
        workspace = kernel.CreateWorkspace(rows);
        f = new T[Length];
        inputScratch = new T[inputs.Length];
        time = new T[timeOffsets is null ? 1 : rows];
        GradTheta = new T[theta.Length];
        GradInputs = new T[inputs.Length];
    }

    /// <summary>The kernel.</summary>
    public RatesKernel<T> Kernel => kernel;

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public int Length { get; }

    /// <summary>Σ aᵀ∂f/∂θ over every <see cref="Vjp"/> since the last <see cref="ClearGradients"/>.</summary>
    public T[] GradTheta { get; }

    /// <summary>Σ aᵀ∂f/∂inputs (shaped like the inputs) over every <see cref="Vjp"/> since the last <see cref="ClearGradients"/>.</summary>
    public T[] GradInputs { get; }

    /// <summary>Zeros <see cref="GradTheta"/> and <see cref="GradInputs"/>.</summary>
    public void ClearGradients()
    {
        Array.Clear(GradTheta);
        Array.Clear(GradInputs);
    }

    /// <inheritdoc />
    public int RecordLength => kernel.RecordLength(Rows);

    /// <inheritdoc />
    public void Rates(double t, ReadOnlySpan<T> y, Span<T> f) => kernel.Rates(Times(t), y, theta, inputs, f, workspace);

    /// <inheritdoc />
    public void RecordRates(double t, ReadOnlySpan<T> y, Span<T> f, Span<T> record) => kernel.RecordRates(Times(t), y, theta, inputs, f, record, workspace);

    /// <inheritdoc />
    public void Vjp(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, Span<T> vjpY)
    {
        // Without networks the record is empty: the VJP needs no rates evaluation first (f is not wanted here).
        if (RecordLength == 0) kernel.VjpFromRecord(Times(t), y, a, theta, inputs, default, vjpY, GradTheta, inputScratch, default, workspace);
        else kernel.Vjp(Times(t), y, a, theta, inputs, f, vjpY, GradTheta, inputScratch, default, workspace);
        for (int i = 0; i < inputScratch.Length; i++) GradInputs[i] += inputScratch[i];
    }

    /// <inheritdoc />
    public void VjpFromRecord(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> record, Span<T> vjpY)
    {
        kernel.VjpFromRecord(Times(t), y, a, theta, inputs, record, vjpY, GradTheta, inputScratch, default, workspace);
        for (int i = 0; i < inputScratch.Length; i++) GradInputs[i] += inputScratch[i];
    }

    /// <summary>
    /// The rates and their VJP at one point without accumulating: <paramref name="rates"/>, <paramref name="vjpY"/>,
    /// <paramref name="vjpTheta"/> and <paramref name="vjpInputs"/> are overwritten (the backsolve adjoint's augmented rates).
    /// </summary>
    public void RatesAndVjp(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, Span<T> rates, Span<T> vjpY, Span<T> vjpTheta, Span<T> vjpInputs)
    {
        vjpTheta.Clear();
        kernel.Vjp(Times(t), y, a, theta, inputs, rates, vjpY, vjpTheta, vjpInputs, default, workspace);
    }

    // Shared time, or t + offset per row (added in T, as the TorchSharp model adds its offsets tensor).
    ReadOnlySpan<T> Times(double t)
    {
        T shared = T.CreateTruncating(t);
        if (offsets is null) time[0] = shared;
        else for (int r = 0; r < time.Length; r++) time[r] = shared + offsets[r];
        return time;
    }
}
