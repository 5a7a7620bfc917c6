using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Finds the batch rows holding NaN or Inf; only used on the failure path (one device sync).</summary>
internal static class NonFiniteRows
{
    /// <summary>Rows where any of <paramref name="tensors"/> (<c>[batch, n]</c>) is not finite, ascending.</summary>
    public static IReadOnlyList<long> Of(params Tensor?[] tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor? bad = null;
        foreach (var t in tensors)
        {
            if (t is null) continue;
            var rowBad = t.detach().isfinite().logical_not().any(1);
            bad = bad is null ? rowBad : bad.logical_or(rowBad);
        }
        if (bad is null) return [];
        using var cpu = bad.nonzero().flatten().to(ScalarType.Int64, CPU);
        return cpu.data<long>().ToArray();
    }
}
