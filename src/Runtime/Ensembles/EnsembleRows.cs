using static TorchSharp.torch;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>
/// The member-major row layout of a batched ensemble: a batch <c>[B, n]</c> becomes <c>[M·B, n]</c> with member j's
/// copy in rows <c>j·B … j·B + B − 1</c> (the layout of <c>TrainerOptions.Replicas</c>).
/// </summary>
public static class EnsembleRows
{
    /// <summary>Stacks <paramref name="members"/> copies of <paramref name="rows"/> <c>[B, n]</c> into <c>[M·B, n]</c>.</summary>
    public static Tensor Replicate(Tensor rows, int members)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members));
        if (rows.dim() != 2) throw new ArgumentException($"Expected [batch, n], not [{string.Join(", ", rows.shape)}].", nameof(rows));
        return rows.repeat(members, 1);
    }

    /// <summary>Views a solution <c>[T, M·B, n]</c> as <c>[T, M, B, n]</c>.</summary>
    public static Tensor Split(Tensor solution, int members)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (solution.dim() != 3 || solution.shape[1] % members != 0)
            throw new ArgumentException($"Expected [T, members·batch, n] with {members} members, not [{string.Join(", ", solution.shape)}].", nameof(solution));
        return solution.view(solution.shape[0], members, solution.shape[1] / members, solution.shape[2]);
    }
}
