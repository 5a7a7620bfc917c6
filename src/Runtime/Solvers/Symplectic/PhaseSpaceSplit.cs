using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Which columns of the state <c>y</c> are the coordinates q and which the momenta p, for the methods that update
/// them separately (<see cref="Leapfrog"/>, <see cref="CompositionMethod"/>). The i-th momentum pairs with the i-th
/// coordinate.
/// </summary>
/// <remarks>
/// A generated <c>[HamiltonianModel]</c> keeps its states in declaration order (<c>q1, p1, q2, p2</c> is allowed), so
/// the columns come from <see cref="ModelLayout"/> (<see cref="StateKind.Coordinate"/> / <see cref="StateKind.Momentum"/>).
/// Any other system is taken to be <c>y = (q, p)</c>: the first half coordinates, the second half momenta.
/// </remarks>
internal sealed class PhaseSpaceSplit
{
    readonly long _half;
    // Null when q and p are the two contiguous halves (narrow is enough); otherwise the columns of q, then of p, and
    // the permutation that puts cat(q, p) back into y order.
    readonly long[]? _columns, _inverse;

    PhaseSpaceSplit(long half, long[]? columns, long[]? inverse) => (_half, _columns, _inverse) = (half, columns, inverse);

    /// <summary>The split for <paramref name="system"/>'s state <paramref name="y"/> (<c>[batch, n]</c>).</summary>
    /// <exception cref="OdeArgumentException">The state cannot be split into coordinate–momentum pairs; the message says why and what to do.</exception>
    public static PhaseSpaceSplit For(IOdeSystem system, Tensor y, string method)
    {
        long n = y.shape[^1];
        if (system is IDescribedSystem model && model.Layout.States.Any(s => s.Kind is StateKind.Coordinate or StateKind.Momentum))
            return FromLayout(model.Layout, n, method);
        if (n % 2 != 0)
            throw new OdeArgumentException(
                $"'{method}' updates coordinates q and momenta p separately and takes y = (q, p), the first half coordinates and the " +
                $"second half momenta, but the state has an odd number of components ({n}). Order the state as (q1…qk, p1…pk), or use " +
                "a method that does not need the split (implicitmidpoint is symplectic for any Hamiltonian; dopri5 or rk4 otherwise).", "y0");
        return new PhaseSpaceSplit(n / 2, null, null);
    }

    static PhaseSpaceSplit FromLayout(ModelLayout layout, long n, string method)
    {
        var q = Columns(layout, StateKind.Coordinate);
        var p = Columns(layout, StateKind.Momentum);
        var other = layout.States.Where(s => s.Kind is not (StateKind.Coordinate or StateKind.Momentum)).Select(s => s.Name).ToArray();
        if (other.Length > 0 || q.Length != p.Length || q.Length + p.Length != n)
            throw new OdeArgumentException(
                $"'{method}' needs every state to be a [Coordinate] or a [Momentum], as many of each, but the model has " +
                $"{q.Length} coordinates, {p.Length} momenta{(other.Length > 0 ? $" and other states ({string.Join(", ", other)})" : "")}. " +
                "Use a non-partitioned method (implicitmidpoint, dopri5) for this model.", "y0");
        bool halves = q.Select((c, i) => c == i).All(b => b) && p.Select((c, i) => c == q.Length + i).All(b => b);
        if (halves) return new PhaseSpaceSplit(q.Length, null, null);
        var columns = q.Concat(p).ToArray();
        var inverse = new long[columns.Length];
        for (int i = 0; i < columns.Length; i++) inverse[columns[i]] = i;
        return new PhaseSpaceSplit(q.Length, columns, inverse);
    }

    static long[] Columns(ModelLayout layout, StateKind kind)
        => layout.States.Where(s => s.Kind == kind).SelectMany(s => Enumerable.Range(s.Offset, s.Size).Select(i => (long)i)).ToArray();

    /// <summary>Number of coordinate–momentum pairs.</summary>
    public long Pairs => _half;

    /// <summary>The coordinates <c>[batch, k]</c> of a state or rate <c>[batch, 2k]</c>.</summary>
    public Tensor Q(Tensor y) => _columns is null ? y.narrow(1, 0, _half) : y.index_select(1, Index(_columns.AsSpan(0, (int)_half), y));

    /// <summary>The momenta <c>[batch, k]</c> of a state or rate <c>[batch, 2k]</c>.</summary>
    public Tensor P(Tensor y) => _columns is null ? y.narrow(1, _half, _half) : y.index_select(1, Index(_columns.AsSpan((int)_half), y));

    /// <summary>The state with coordinates <paramref name="q"/> and momenta <paramref name="p"/>, in the system's column order.</summary>
    public Tensor Join(Tensor q, Tensor p)
    {
        var qp = torch.cat([q, p], 1);
        return _inverse is null ? qp : qp.index_select(1, Index(_inverse, q));
    }

    // A few longs copied to the state's device; only for interleaved layouts.
    static Tensor Index(ReadOnlySpan<long> columns, Tensor like) => torch.tensor(columns.ToArray(), dtype: ScalarType.Int64, device: like.device);
}
