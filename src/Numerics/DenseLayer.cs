using System.Numerics;
using System.Numerics.Tensors;

namespace NodeDsl.Numerics;

/// <summary>
/// An affine layer over a batch, row-major as torch stores it: <c>y = x Wᵀ + b</c> with <c>x</c> <c>[batch, in]</c>,
/// <c>W</c> <c>[out, in]</c>, <c>b</c> <c>[out]</c>, <c>y</c> <c>[batch, out]</c>. Rows of length <see cref="SimdWidth"/> or more
/// go through <see cref="TensorPrimitives"/> (SIMD dot and multiply-add); shorter rows through plain loops, where the
/// call overhead of a span primitive costs more than the arithmetic (measured in bench/README.md, native kernels).
/// </summary>
public static class DenseLayer
{
    /// <summary>Shortest row that goes through <see cref="TensorPrimitives"/>.</summary>
    public const int SimdWidth = 8;

    /// <summary><c>y = x Wᵀ + b</c>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int inSize, int outSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inSize >= SimdWidth) ForwardSimd(x, weight, bias, y, batch, inSize, outSize);
        else ForwardLoops(x, weight, bias, y, batch, inSize, outSize);
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
}
