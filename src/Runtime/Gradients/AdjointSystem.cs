using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The augmented dynamics of the backsolve adjoint (Chen et al. 2018, Algorithm 1), integrated backwards in time:
/// <c>dy/dt = f(t, y)</c>, <c>da/dt = −aᵀ∂f/∂y</c>, <c>dθ̄/dt = −aᵀ∂f/∂θ</c>, with every piece flattened into one row
/// <c>z = [y, a, θ̄₁, …, θ̄ₖ]</c> of shape <c>[1, N]</c> so that any solver integrates it unchanged and one error norm
/// covers it (or, with a seminorm, the <c>[y, a]</c> part only).
/// </summary>
internal sealed class AdjointSystem : IOdeSystem
{
    readonly IRatesVjp vjp;
    readonly long[] stateShape;
    readonly long stateSize;
    readonly long[][] paramShapes;
    readonly bool[] active;
    readonly int activeCount;

    public AdjointSystem(IRatesVjp vjp, long[] stateShape, IReadOnlyList<Tensor> parameters, bool[] active)
    {
        this.vjp = vjp;
        this.stateShape = stateShape;
        stateSize = stateShape[0] * stateShape[1];
        this.active = active;
        paramShapes = parameters.Select(p => p.shape).ToArray();
        activeCount = active.Count(x => x);
        ParameterSize = parameters.Select((p, i) => active[i] ? p.numel() : 0L).Sum();
    }

    /// <summary>Components of <c>y</c> (= components of <c>a</c>).</summary>
    public long StateSize => stateSize;

    /// <summary>Components of all active θ̄ blocks together.</summary>
    public long ParameterSize { get; }

    /// <summary>Length of the flattened augmented state.</summary>
    public long Size => 2 * stateSize + ParameterSize;

    public Tensor Rates(Tensor t, Tensor z)
    {
        using var scope = NewDisposeScope();
        // A one-row solve may hand over t as [1, 1]; the system's rows want a shared 0-d time.
        var time = t.Dimensions == 0 || t.numel() != 1 ? t : t.reshape([]);
        var y = z.narrow(1, 0, stateSize).reshape(stateShape);
        // The VJP is linear in its cotangent: with −a it returns −aᵀ∂f/∂y and −aᵀ∂f/∂θ, the rates of a and θ̄, directly
        // (one negation instead of one per block).
        var minusA = z.narrow(1, stateSize, stateSize).reshape(stateShape).neg();
        var r = vjp.Vjp(time, y, minusA);
        var parts = new Tensor[2 + activeCount];
        parts[0] = r.F.reshape(1, -1);
        parts[1] = r.VjpY.reshape(1, -1);
        int slot = 2;
        for (int i = 0; i < paramShapes.Length; i++)
        {
            if (!active[i]) continue;
            parts[slot++] = r.VjpParams[i] is { } g ? g.reshape(1, -1) : zeros(1, ShapeSize(paramShapes[i]), z.dtype, z.device);
        }
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Packs <c>[y, a, 0…]</c> into one <c>[1, N]</c> row: the state at the last output time.</summary>
    public Tensor Pack(Tensor y, Tensor a)
    {
        var z = zeros(1, Size, y.dtype, y.device);
        z.narrow(1, 0, stateSize).copy_(y.reshape(1, -1));
        z.narrow(1, stateSize, stateSize).copy_(a.reshape(1, -1));
        return z;
    }

    /// <summary>Packs <c>[y, a, θ̄…]</c> into one <c>[1, N]</c> row.</summary>
    public Tensor Pack(Tensor y, Tensor a, IReadOnlyList<Tensor?> paramGrads)
    {
        var parts = new List<Tensor> { y.reshape(1, -1), a.reshape(1, -1) };
        for (int i = 0; i < paramShapes.Length; i++)
            if (active[i]) parts.Add(paramGrads[i]!.reshape(1, -1));
        return cat(parts, 1);
    }

    /// <summary>
    /// The jump at an output time: y restarts from the forward value <paramref name="y"/>, <c>a</c> gains the loss
    /// gradient <paramref name="g"/> there, θ̄ is kept.
    /// </summary>
    public Tensor Jump(Tensor z, Tensor y, Tensor g)
    {
        var jumped = z.clone();
        jumped.narrow(1, 0, stateSize).copy_(y.reshape(1, -1));
        jumped.narrow(1, stateSize, stateSize).add_(g.reshape(1, -1), ScalarOps.One);
        return jumped;
    }

    /// <summary>The y block of a packed row, shaped like the state.</summary>
    public Tensor StateOf(Tensor z) => z.narrow(1, 0, stateSize).reshape(stateShape);

    /// <summary>Splits a packed row into <c>a</c> and the θ̄ blocks (y is not needed: it is reset to the forward value).</summary>
    public (Tensor A, Tensor?[] ParamGrads) Unpack(Tensor z)
    {
        var a = z.narrow(1, stateSize, stateSize).reshape(stateShape);
        var grads = new Tensor?[paramShapes.Length];
        long offset = 2 * stateSize;
        for (int i = 0; i < paramShapes.Length; i++)
        {
            if (!active[i]) continue;
            long size = ShapeSize(paramShapes[i]);
            grads[i] = z.narrow(1, offset, size).reshape(paramShapes[i]);
            offset += size;
        }
        return (a, grads);
    }

    /// <summary>
    /// Per-component tolerances of the seminorm: the θ̄ blocks get an infinite absolute and zero relative tolerance
    /// (their scaled error is 0), and the <c>[y, a]</c> tolerances shrink by √(N_ya / N) so that the driver's RMS over
    /// all N components equals the RMS over <c>[y, a]</c> alone.
    /// </summary>
    public (double[] Rtol, double[] Atol) SeminormTolerances(double rtol, double atol)
    {
        long n = Size, nya = 2 * stateSize;
        double shrink = Math.Sqrt((double)nya / n);
        var r = new double[n];
        var a = new double[n];
        for (long i = 0; i < n; i++)
        {
            (r[i], a[i]) = i < nya ? (rtol * shrink, atol * shrink) : (0.0, double.PositiveInfinity);
        }
        return (r, a);
    }

    static long ShapeSize(long[] shape) => shape.Aggregate(1L, (x, y) => x * y);
}
