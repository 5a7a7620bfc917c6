using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// Scratch memory of a <see cref="RatesKernel{T}"/> for batches of up to <see cref="Rows"/> rows: allocated once, reused by
/// every call, so kernel calls allocate nothing. Not thread-safe: one workspace per thread.
/// </summary>
public sealed class KernelWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[] buffer;

    /// <summary>A workspace of <paramref name="valuesPerRow"/> values for each of <paramref name="rows"/> rows.</summary>
    public KernelWorkspace(int rows, int valuesPerRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(valuesPerRow);
        Rows = rows;
        ValuesPerRow = valuesPerRow;
        buffer = new T[checked(rows * valuesPerRow)];
    }

    /// <summary>Largest batch this workspace serves.</summary>
    public int Rows { get; }

    /// <summary>Scratch values per row.</summary>
    public int ValuesPerRow { get; }

    /// <summary>The scratch for a batch of <paramref name="batch"/> rows.</summary>
    internal Span<T> For(int batch) => buffer.AsSpan(0, batch * ValuesPerRow);
}
