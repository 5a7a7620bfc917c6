using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// The backsolve adjoint's augmented dynamics (Chen et al. 2018, Algorithm 1) on the native kernels, one flat row
/// <c>z = [y, a, θ̄ (wanted blocks), inputs̄ (when wanted)]</c> laid out as the TorchSharp path's <c>AdjointSystem</c> lays it
/// out (so one error norm covers the same components): <c>dy/dt = f</c>, <c>da/dt = −aᵀ∂f/∂y</c>,
/// <c>dθ̄/dt = −aᵀ∂f/∂θ</c>, all from one kernel VJP with cotangent <c>−a</c>.
/// </summary>
public sealed class AugmentedField<T> : IVectorField<T>, IOutputJump<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly KernelField<T> inner;
    readonly (int Offset, int Length)[] blocks;
    readonly bool inputsWanted;
    readonly T[] minusA, vjpTheta, vjpInputs;
    int outputs;
    ReadOnlyMemory<T> forwardStates, gradOutputs;

    /// <summary>The augmented system of <paramref name="field"/> with the θ blocks <paramref name="wanted"/> (and the inputs when <paramref name="inputsWanted"/>).</summary>
    public AugmentedField(KernelField<T> field, IReadOnlyList<ParameterBlock> parameters, IReadOnlyList<bool> wanted, bool inputsWanted)
    {
        ArgumentNullException.ThrowIfNull(field);
        inner = field;
        blocks = parameters.Where((_, i) => wanted[i]).Select(b => (b.Offset, b.Length)).ToArray();
        this.inputsWanted = inputsWanted;
        int n = inner.Length;
        ParameterLength = blocks.Sum(b => b.Length) + (inputsWanted ? inner.GradInputs.Length : 0);
        Length = 2 * n + ParameterLength;
        minusA = new T[n];
        vjpTheta = new T[inner.GradTheta.Length];
        vjpInputs = new T[inner.GradInputs.Length];
    }

    /// <summary>One row: the whole batch is one augmented state, as in the TorchSharp path.</summary>
    public int Rows => 1;

    /// <inheritdoc />
    public int Length { get; }

    /// <summary>Values of y (= values of a).</summary>
    public int StateLength => inner.Length;

    /// <summary>Values of the θ̄ and inputs̄ blocks together.</summary>
    public int ParameterLength { get; }

    /// <inheritdoc />
    public void Rates(double t, ReadOnlySpan<T> z, Span<T> dz)
    {
        int n = inner.Length;
        var a = z.Slice(n, n);
        for (int i = 0; i < n; i++) minusA[i] = -a[i];
        inner.RatesAndVjp(t, z[..n], minusA, dz[..n], dz.Slice(n, n), vjpTheta, vjpInputs);
        int at = 2 * n;
        foreach (var (offset, length) in blocks)
        {
            vjpTheta.AsSpan(offset, length).CopyTo(dz.Slice(at, length));
            at += length;
        }
        if (inputsWanted) vjpInputs.CopyTo(dz.Slice(at, vjpInputs.Length));
    }

    /// <summary>Packs <c>[y, a, 0…]</c> into <paramref name="z"/>.</summary>
    public void Pack(ReadOnlySpan<T> y, ReadOnlySpan<T> a, Span<T> z)
    {
        int n = inner.Length;
        z.Clear();
        y.CopyTo(z[..n]);
        a.CopyTo(z.Slice(n, n));
    }

    /// <summary>
    /// Sets what the jumps read: the forward states and the loss cotangents at the forward output times
    /// (<c>[outputCount, StateLength]</c> each); backward output <c>k</c> is forward output <c>outputCount − 1 − k</c>.
    /// </summary>
    public void SetJumpData(ReadOnlyMemory<T> forward, ReadOnlyMemory<T> cotangents, int outputCount)
        => (forwardStates, gradOutputs, outputs) = (forward, cotangents, outputCount);

    /// <summary>Called before each jump with the backward output index and the reconstructed state (drift check).</summary>
    public ReconstructionCheck? BeforeJump { get; set; }

    /// <summary>Inspects the reconstructed y at backward output <paramref name="output"/> before a jump resets it.</summary>
    public delegate void ReconstructionCheck(int output, ReadOnlySpan<T> y);

    /// <summary>At backward output <paramref name="output"/>: y restarts from the forward value, a gains ∂L/∂y there.</summary>
    public void Jump(int output, Span<T> z)
    {
        int n = inner.Length, i = outputs - 1 - output;
        BeforeJump?.Invoke(output, z[..n]);
        forwardStates.Span.Slice(i * n, n).CopyTo(z[..n]);
        var g = gradOutputs.Span.Slice(i * n, n);
        var a = z.Slice(n, n);
        for (int j = 0; j < n; j++) a[j] += g[j];
    }

    /// <summary>The θ̄ blocks of <paramref name="z"/> into a full-length θ gradient (zeros where not wanted), and inputs̄.</summary>
    public void Unpack(ReadOnlySpan<T> z, Span<T> gradTheta, Span<T> gradInputs)
    {
        int at = 2 * inner.Length;
        gradTheta.Clear();
        foreach (var (offset, length) in blocks)
        {
            z.Slice(at, length).CopyTo(gradTheta.Slice(offset, length));
            at += length;
        }
        if (inputsWanted) z.Slice(at, gradInputs.Length).CopyTo(gradInputs);
    }
}
