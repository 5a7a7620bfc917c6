using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// The native kernels of one model: batched rates <c>f(t, y; θ, inputs)</c> and their vector–Jacobian product over
/// row-major spans (rows are trajectories), the same contract as the generated TorchSharp <c>Rates</c> and <c>Vjp</c>.
/// Instances are stateless apart from the model they read constants from; scratch lives in a <see cref="KernelWorkspace{T}"/>.
/// </summary>
/// <remarks>
/// <para>Shapes (<c>n = Layout.StateSize</c>, <c>k = Layout.InputSize</c>, <c>P = Layout.ParameterCount</c>):
/// <c>t</c> has 1 value (shared time) or one per row; <c>y</c>, <c>a</c>, <c>f</c>, <c>vjpY</c> are <c>[batch, n]</c>;
/// θ and <c>vjpTheta</c> are <c>[P]</c>; <c>inputs</c> is <c>[batch, k]</c> or one shared row <c>[k]</c> (empty when <c>k = 0</c>).</para>
/// <para>The generated code is straight-line C# per row (common sub-expressions computed once) with the perceptrons run
/// over the whole batch between the rows' stages (<see cref="Perceptron"/>).</para>
/// </remarks>
public abstract class RatesKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Called by generated kernels.</summary>
    protected RatesKernel(KernelLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
    }

    /// <summary>State, input and parameter layout.</summary>
    public KernelLayout Layout { get; }

    /// <summary>A workspace for batches of up to <paramref name="rows"/> rows (allocate once, reuse for every call).</summary>
    public KernelWorkspace<T> CreateWorkspace(int rows) => new(rows, Layout.WorkspacePerRow);

    /// <summary>Values of a record for a batch of <paramref name="batch"/> rows (<see cref="RecordRates"/>).</summary>
    public int RecordLength(int batch) => batch * Layout.RecordPerRow;

    /// <summary>The rates: <c>f = f(t, y; θ, inputs)</c>, overwriting <paramref name="f"/>.</summary>
    public void Rates(ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs, Span<T> f, KernelWorkspace<T> workspace)
    {
        int batch = CheckCommon(t, y, theta, inputs, workspace);
        CheckSame(f.Length, y.Length, nameof(f), "y");
        var scratch = workspace.For(batch);
        RatesCore(batch, t, y, theta, inputs, f, scratch[..RecordLength(batch)], scratch);
    }

    /// <summary>
    /// The rates, keeping in <paramref name="record"/> (<see cref="RecordLength"/> values) what <see cref="VjpFromRecord"/>
    /// at the same point reads instead of evaluating the networks again: each network call's input and output and each
    /// hidden layer's pre-activation and activation.
    /// </summary>
    public void RecordRates(ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs, Span<T> f, Span<T> record,
                            KernelWorkspace<T> workspace)
    {
        int batch = CheckCommon(t, y, theta, inputs, workspace);
        CheckSame(f.Length, y.Length, nameof(f), "y");
        CheckSame(record.Length, RecordLength(batch), nameof(record), "RecordLength(batch)");
        RatesCore(batch, t, y, theta, inputs, f, record, workspace.For(batch));
    }

    /// <summary>
    /// The rates and their vector–Jacobian products at one point: <paramref name="f"/> and <paramref name="vjpY"/>
    /// (<c>aᵀ∂f/∂y</c> row by row) are overwritten; <c>aᵀ∂f/∂θ</c> summed over the batch is <b>added</b> into
    /// <paramref name="vjpTheta"/>; <c>aᵀ∂f/∂inputs</c> is overwritten into <paramref name="vjpInputs"/> (same shape as
    /// <paramref name="inputs"/>, summed over the batch for one shared row; pass an empty span to skip it);
    /// <c>aᵀ∂f/∂t</c> is overwritten into <paramref name="vjpT"/> (one value per row, or one value summed over the batch;
    /// empty to skip).
    /// </summary>
    public void Vjp(ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs,
                    Span<T> f, Span<T> vjpY, Span<T> vjpTheta, Span<T> vjpInputs, Span<T> vjpT, KernelWorkspace<T> workspace)
    {
        CheckSame(f.Length, y.Length, nameof(f), "y");
        int batch = CheckVjp(t, y, a, theta, inputs, vjpY, vjpTheta, vjpInputs, vjpT, workspace);
        var scratch = workspace.For(batch);
        var record = scratch[..RecordLength(batch)];
        RatesCore(batch, t, y, theta, inputs, f, record, scratch);
        VjpCore(batch, t, y, a, theta, inputs, record, vjpY, vjpTheta, vjpInputs, vjpT, scratch);
    }

    /// <summary>
    /// The vector–Jacobian products at a point whose rates <see cref="RecordRates"/> evaluated into <paramref name="record"/>
    /// (with the same t, y, θ and inputs), without evaluating the networks again; the same results as <see cref="Vjp"/>
    /// (which records its own point first) except that f is not produced.
    /// </summary>
    public void VjpFromRecord(ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs,
                              ReadOnlySpan<T> record, Span<T> vjpY, Span<T> vjpTheta, Span<T> vjpInputs, Span<T> vjpT, KernelWorkspace<T> workspace)
    {
        int batch = CheckVjp(t, y, a, theta, inputs, vjpY, vjpTheta, vjpInputs, vjpT, workspace);
        CheckSame(record.Length, RecordLength(batch), nameof(record), "RecordLength(batch)");
        VjpCore(batch, t, y, a, theta, inputs, record, vjpY, vjpTheta, vjpInputs, vjpT, workspace.For(batch));
    }

    /// <summary>
    /// The generated rates; arguments are checked. <paramref name="record"/> receives the network inputs, outputs and
    /// hidden activations (it is the first <c>batch · RecordPerRow</c> values of <paramref name="scratch"/> or a span of its own).
    /// </summary>
    protected abstract void RatesCore(int batch, ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs,
                                      Span<T> f, Span<T> record, Span<T> scratch);

    /// <summary>
    /// The generated VJP from a record of the same point; arguments are checked, <c>vjpInputs</c> and <c>vjpT</c> are
    /// cleared. Writes only past the first <c>batch · RecordPerRow</c> values of <paramref name="scratch"/>.
    /// </summary>
    protected abstract void VjpCore(int batch, ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> theta,
                                    ReadOnlySpan<T> inputs, ReadOnlySpan<T> record, Span<T> vjpY, Span<T> vjpTheta, Span<T> vjpInputs,
                                    Span<T> vjpT, Span<T> scratch);

    int CheckVjp(ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs, Span<T> vjpY,
                 Span<T> vjpTheta, Span<T> vjpInputs, Span<T> vjpT, KernelWorkspace<T> workspace)
    {
        int batch = CheckCommon(t, y, theta, inputs, workspace);
        CheckSame(a.Length, y.Length, nameof(a), "y");
        CheckSame(vjpY.Length, y.Length, nameof(vjpY), "y");
        CheckSame(vjpTheta.Length, theta.Length, nameof(vjpTheta), "theta");
        if (!vjpInputs.IsEmpty) CheckSame(vjpInputs.Length, inputs.Length, nameof(vjpInputs), "inputs");
        if (!(vjpT.IsEmpty || vjpT.Length == 1 || vjpT.Length == batch))
            throw new ArgumentException($"vjpT must be empty (not wanted), hold 1 value (summed over the batch) or one per row ({batch}), but has {vjpT.Length}.", nameof(vjpT));
        vjpInputs.Clear();
        vjpT.Clear();
        return batch;
    }

    int CheckCommon(ReadOnlySpan<T> t, ReadOnlySpan<T> y, ReadOnlySpan<T> theta, ReadOnlySpan<T> inputs, KernelWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        int n = Layout.StateSize;
        if (y.Length == 0 || y.Length % n != 0)
            throw new ArgumentException($"y must hold whole rows of {n} components ([batch, {n}] row-major) but has {y.Length} values.", nameof(y));
        int batch = y.Length / n;
        if (!(t.Length == 1 || t.Length == batch))
            throw new ArgumentException($"t must hold one shared time or one per row ({batch}) but has {t.Length} values.", nameof(t));
        CheckSame(theta.Length, Layout.ParameterCount, nameof(theta), "Layout.ParameterCount");
        int k = Layout.InputSize;
        if (k == 0 ? !inputs.IsEmpty : !(inputs.Length == k || inputs.Length == batch * k))
            throw new ArgumentException(k == 0
                ? $"{Layout.Model} has no [Input] fields; pass an empty inputs span."
                : $"inputs must be one row per trajectory ([{batch}, {k}]) or one shared row ([{k}]) but has {inputs.Length} values.", nameof(inputs));
        if (workspace.ValuesPerRow != Layout.WorkspacePerRow)
            throw new ArgumentException($"The workspace was not made for {Layout.Model}'s kernels; create it with kernel.CreateWorkspace(rows).", nameof(workspace));
        if (batch > workspace.Rows)
            throw new ArgumentException($"The batch has {batch} rows but the workspace serves up to {workspace.Rows}; create it with kernel.CreateWorkspace({batch}).", nameof(workspace));
        return batch;
    }

    static void CheckSame(int actual, int expected, string name, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} must have as many values as {what} ({expected}) but has {actual}.", name);
    }
}
