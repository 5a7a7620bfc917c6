using System.Numerics;
using System.Numerics.Tensors;

namespace NodeDsl.Numerics;

/// <summary>
/// An affine layer over a batch, row-major as torch stores it: <c>y = x Wᵀ + b</c> with <c>x</c> <c>[batch, in]</c>,
/// <c>W</c> <c>[out, in]</c>, <c>b</c> <c>[out]</c>, <c>y</c> <c>[batch, out]</c>. The strategy follows the shape (measured in
/// bench/README.md, native kernels): inputs of <see cref="SimdWidth"/> or more take one SIMD dot per output
/// (<see cref="TensorPrimitives"/>); narrow inputs feeding a wide layer (the spiral's 2→50) work on Wᵀ, copied to the
/// stack once per call, so each row is a few SIMD multiply-adds of output length; other small shapes use plain loops.
/// </summary>
public static class DenseLayer
{
    /// <summary>Shortest row that goes through <see cref="TensorPrimitives"/>.</summary>
    public const int SimdWidth = 8;

    // Largest Wᵀ (in · out values) the transposed path copies to the stack: 16 KB in double.
    const int StackLimit = 2048;

    static bool Transposed(int inSize, int outSize) => inSize < SimdWidth && outSize >= SimdWidth && inSize * outSize <= StackLimit;

    /// <summary><c>y = x Wᵀ + b</c>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inSize >= SimdWidth) ForwardSimd(x, weight, bias, y, batch, inSize, outSize);
        else if (Transposed(inSize, outSize)) ForwardTransposed(x, weight, bias, y, batch, inSize, outSize);
        else ForwardLoops(x, weight, bias, y, batch, inSize, outSize);
    }

    // y_r = b + Σ_k x_rk · Wᵀ_k: SIMD multiply-adds of output length over a stack copy of Wᵀ.
    internal static void ForwardTransposed<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> wt = stackalloc T[inSize * outSize];
        Transpose(weight, wt, outSize, inSize);
        for (int r = 0; r < batch; r++)
        {
            var yr = y.Slice(r * outSize, outSize);
            bias.CopyTo(yr);
            for (int k = 0; k < inSize; k++) TensorPrimitives.MultiplyAdd(wt.Slice(k * outSize, outSize), x[r * inSize + k], yr, yr);
        }
    }

    // to[c, r] = from[r, c] for from [rows, cols].
    static void Transpose<T>(ReadOnlySpan<T> from, Span<T> to, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) to[c * rows + r] = from[r * cols + c];
    }

    // One SIMD dot product per output (TensorPrimitives.Dot).
    internal static void ForwardSimd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < batch; r++)
        {
            var xr = x.Slice(r * inSize, inSize);
            var yr = y.Slice(r * outSize, outSize);
            for (int j = 0; j < outSize; j++) yr[j] = bias[j] + TensorPrimitives.Dot(weight.Slice(j * inSize, inSize), xr);
        }
    }

    // Plain scalar loops.
    internal static void ForwardLoops<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < batch; r++)
        {
            var xr = x.Slice(r * inSize, inSize);
            var yr = y.Slice(r * outSize, outSize);
            for (int j = 0; j < outSize; j++)
            {
                var wj = weight.Slice(j * inSize, inSize);
                T s = T.Zero;
                for (int k = 0; k < wj.Length; k++) s += wj[k] * xr[k];
                yr[j] = bias[j] + s;
            }
        }
    }

    /// <summary>
    /// The layer backward (adds into the gradients, summed over the batch): <c>∂L/∂W += gyᵀ x</c>, <c>∂L/∂b += Σ_rows gy</c>,
    /// and <c>gx = gy W</c> (overwritten; skipped when <paramref name="gx"/> is empty).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> gy, Span<T> gx,
                                   Span<T> gradWeight, Span<T> gradBias, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Transposed(inSize, outSize))
        {
            BackwardTransposed(x, weight, gy, gx, gradWeight, gradBias, batch, inSize, outSize);
            return;
        }
        bool simd = inSize >= SimdWidth;
        for (int r = 0; r < batch; r++)
        {
            var xr = x.Slice(r * inSize, inSize);
            var gr = gy.Slice(r * outSize, outSize);
            if (outSize >= SimdWidth) TensorPrimitives.Add(gradBias, gr, gradBias);
            else for (int j = 0; j < outSize; j++) gradBias[j] += gr[j];
            Span<T> gxr = gx.IsEmpty ? default : gx.Slice(r * inSize, inSize);
            gxr.Clear();
            for (int j = 0; j < outSize; j++)
            {
                T g = gr[j];
                var gw = gradWeight.Slice(j * inSize, inSize);
                var wj = weight.Slice(j * inSize, inSize);
                if (simd)
                {
                    TensorPrimitives.MultiplyAdd(xr, g, gw, gw);
                    if (!gxr.IsEmpty) TensorPrimitives.MultiplyAdd(wj, g, gxr, gxr);
                    continue;
                }
                for (int k = 0; k < gw.Length; k++) gw[k] += g * xr[k];
                if (!gxr.IsEmpty)
                    for (int k = 0; k < gxr.Length; k++) gxr[k] += g * wj[k];
            }
        }
    }

    // The narrow-input backward in transposed space: ∂L/∂Wᵀ_k += x_rk · gy_r and gx_rk = gy_r · Wᵀ_k (SIMD, output length).
    static void BackwardTransposed<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> gy, Span<T> gx,
                                      Span<T> gradWeight, Span<T> gradBias, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> wt = stackalloc T[inSize * outSize];
        Span<T> gwt = stackalloc T[inSize * outSize];
        Transpose(weight, wt, outSize, inSize);
        gwt.Clear();
        for (int r = 0; r < batch; r++)
        {
            var gr = gy.Slice(r * outSize, outSize);
            TensorPrimitives.Add(gradBias, gr, gradBias);
            for (int k = 0; k < inSize; k++)
            {
                var gk = gwt.Slice(k * outSize, outSize);
                TensorPrimitives.MultiplyAdd(gr, x[r * inSize + k], gk, gk);
                if (!gx.IsEmpty) gx[r * inSize + k] = TensorPrimitives.Dot(gr, wt.Slice(k * outSize, outSize));
            }
        }
        for (int j = 0; j < outSize; j++)
            for (int k = 0; k < inSize; k++) gradWeight[j * inSize + k] += gwt[k * outSize + j];
    }
}
