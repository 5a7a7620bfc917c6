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

    /// <summary><c>x · c</c>.</summary>
    public static Tensor Mul(Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.mul(s);
    }

    /// <summary><c>x / c</c>.</summary>
    public static Tensor Div(Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.div(s);
    }

    /// <summary><c>x + c</c>.</summary>
    public static Tensor Add(Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.add(s, One);
    }

    /// <summary><c>x − c</c>.</summary>
    public static Tensor Sub(Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.sub(s);
    }

    /// <summary><c>c − x</c>, computed as <c>(−x) + c</c> (exact in IEEE arithmetic).</summary>
    public static Tensor RSub(double c, Tensor x)
    {
        using var s = c.ToScalar();
        using var negated = x.neg();
        return negated.add(s, One);
    }

    /// <summary><c>x + alpha · y</c>.</summary>
    public static Tensor Add(Tensor x, Tensor y, double alpha)
    {
        using var s = alpha.ToScalar();
        return x.add(y, s);
    }

    /// <summary><c>x += alpha · y</c>, in place.</summary>
    public static void AddInPlace(Tensor x, Tensor y, double alpha)
    {
        using var s = alpha.ToScalar();
        x.add_(y, s);
    }

    /// <summary><c>x − alpha · y</c>.</summary>
    public static Tensor Sub(Tensor x, Tensor y, double alpha)
    {
        using var s = (-alpha).ToScalar();
        return x.add(y, s);
    }

    /// <summary><c>x + value · a · b</c>.</summary>
    public static Tensor AddCMul(Tensor x, Tensor a, Tensor b, double value)
    {
        using var s = value.ToScalar();
        return x.addcmul(a, b, s);
    }

    /// <summary><c>x ^ p</c>.</summary>
    public static Tensor Pow(Tensor x, double p)
    {
        using var s = p.ToScalar();
        return x.pow(s);
    }

    /// <summary><c>c ^ x</c> elementwise.</summary>
    public static Tensor Pow(double c, Tensor x)
    {
        using var full = FullLike(x, c);
        return full.pow(x);
    }

    /// <summary><c>max(x, min)</c>.</summary>
    public static Tensor ClampMin(Tensor x, double min)
    {
        using var s = min.ToScalar();
        return x.clamp_min(s);
    }

    /// <summary><c>min(x, max)</c>.</summary>
    public static Tensor ClampMax(Tensor x, double max)
    {
        using var s = max.ToScalar();
        return x.clamp_max(s);
    }

    /// <summary><c>min(max(x, min), max)</c>.</summary>
    public static Tensor Clamp(Tensor x, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return x.clamp(lo, hi);
    }

    /// <summary><c>x &gt; c</c> (a boolean tensor).</summary>
    public static Tensor Gt(Tensor x, double c)
    {
        using var s = c.ToScalar();
        return x.gt(s);
    }

    /// <summary>A tensor shaped, typed and placed like <paramref name="x"/>, filled with <paramref name="c"/>.</summary>
    public static Tensor FullLike(Tensor x, double c)
    {
        using var s = c.ToScalar();
        return torch.full_like(x, s);
    }

    /// <summary><c>c / x</c> elementwise.</summary>
    public static Tensor RDiv(double c, Tensor x)
    {
        using var full = FullLike(x, c);
        return full.div(x);
    }
}
