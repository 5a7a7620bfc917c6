using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Tensor ∘ double operations that keep the <see cref="Scalar"/> alive across the native call. In TorchSharp 0.107 an
/// implicit double → Scalar conversion creates a temporary that a GC on another thread may finalize while the op still
/// uses it (see docs/notes/torchsharp-scalar-gc-race.md); use these in hot paths and generated code instead.
/// All operations are out-of-place and autograd-friendly.
/// </summary>
public static class ScalarOps
{
    /// <summary>
    /// The Scalar 1, alive for the whole process (never finalized): pass it as <c>alpha</c> to <c>add</c>/<c>add_</c>.
    /// TorchSharp's one-argument <c>add(Tensor)</c>, <c>add(Scalar)</c>, <c>add_(…)</c> and the <c>+</c> operator call
    /// <c>add(target, 1)</c>, which converts 1 to a temporary Scalar per call (TorchSharp 0.107, Tensor.Math.cs) and so
    /// races with the GC like any implicit conversion; <c>x.add(y, ScalarOps.One)</c> is the same operation without it.
    /// (<c>sub(Tensor)</c> has no alpha and creates no Scalar.) Read-only, so one instance serves every thread.
    /// </summary>
    public static Scalar One { get; } = 1.ToScalar();

    // The integer 2 of TorchSharp's square() (= pow(2), with 2 converted to a temporary Scalar per call).
    static readonly Scalar Two = 2.ToScalar();

    /// <summary>
    /// <c>x²</c>: TorchSharp's <c>square()</c> (<c>pow(2)</c>, the same op and bits) without its temporary Scalar.
    /// </summary>
    public static Tensor Square(Tensor x) => x.pow(Two);

    /// <summary><c>x ^ p</c> for an integer power (libtorch's integer-exponent kernels, as <c>x.pow(3)</c>).</summary>
    public static Tensor Pow(Tensor x, int p)
    {
        using var s = p.ToScalar();
        return x.pow(s);
    }

    /// <summary><c>x ≠ c</c> (a boolean tensor), for an integer <paramref name="c"/> such as LAPACK's info codes.</summary>
    public static Tensor Ne(Tensor x, long c)
    {
        using var s = c.ToScalar();
        return x.ne(s);
    }

    /// <summary><c>x · c</c>.</summary>
    public static Tensor Mul(Tensor x, double c) => With(x, c, static (x, s) => x.mul(s));

    /// <summary><c>x / c</c>.</summary>
    public static Tensor Div(Tensor x, double c) => With(x, c, static (x, s) => x.div(s));

    /// <summary><c>x + c</c>.</summary>
    public static Tensor Add(Tensor x, double c) => With(x, c, static (x, s) => x.add(s, One));

    /// <summary><c>x − c</c>.</summary>
    public static Tensor Sub(Tensor x, double c) => With(x, c, static (x, s) => x.sub(s));

    /// <summary><c>c − x</c>, computed as <c>(−x) + c</c> (exact in IEEE arithmetic).</summary>
    public static Tensor RSub(double c, Tensor x)
    {
        using var negated = x.neg();
        return Add(negated, c);
    }

    /// <summary><c>x + alpha · y</c>.</summary>
    public static Tensor Add(Tensor x, Tensor y, double alpha) => With(x, y, alpha, static (x, y, s) => x.add(y, s));

    /// <summary><c>x += alpha · y</c>, in place.</summary>
    public static void AddInPlace(Tensor x, Tensor y, double alpha) => With(x, y, alpha, static (x, y, s) => x.add_(y, s));

    /// <summary><c>x − alpha · y</c>.</summary>
    public static Tensor Sub(Tensor x, Tensor y, double alpha) => Add(x, y, -alpha);

    /// <summary><c>x + value · a · b</c>.</summary>
    public static Tensor AddCMul(Tensor x, Tensor a, Tensor b, double value)
    {
        using var s = value.ToScalar();
        return x.addcmul(a, b, s);
    }

    /// <summary><c>x ^ p</c>.</summary>
    public static Tensor Pow(Tensor x, double p) => With(x, p, static (x, s) => x.pow(s));

    /// <summary><c>c ^ x</c> elementwise.</summary>
    public static Tensor Pow(double c, Tensor x)
    {
        using var full = FullLike(x, c);
        return full.pow(x);
    }

    /// <summary><c>max(x, min)</c>.</summary>
    public static Tensor ClampMin(Tensor x, double min) => With(x, min, static (x, s) => x.clamp_min(s));

    /// <summary><c>min(x, max)</c>.</summary>
    public static Tensor ClampMax(Tensor x, double max) => With(x, max, static (x, s) => x.clamp_max(s));

    /// <summary><c>min(max(x, min), max)</c>.</summary>
    public static Tensor Clamp(Tensor x, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return x.clamp(lo, hi);
    }

    /// <summary><c>x &gt; c</c> (a boolean tensor).</summary>
    public static Tensor Gt(Tensor x, double c) => With(x, c, static (x, s) => x.gt(s));

    /// <summary>A tensor shaped, typed and placed like <paramref name="x"/>, filled with <paramref name="c"/>.</summary>
    public static Tensor FullLike(Tensor x, double c) => With(x, c, static (x, s) => torch.full_like(x, s));

    /// <summary><c>c / x</c> elementwise.</summary>
    public static Tensor RDiv(double c, Tensor x)
    {
        using var full = FullLike(x, c);
        return full.div(x);
    }

    // The Scalar lives until the op has returned: the point of this class (see the summary).
    static T With<T>(Tensor x, double c, Func<Tensor, Scalar, T> op)
    {
        using var s = c.ToScalar();
        return op(x, s);
    }

    static Tensor With(Tensor x, Tensor y, double c, Func<Tensor, Tensor, Scalar, Tensor> op)
    {
        using var s = c.ToScalar();
        return op(x, y, s);
    }
}
