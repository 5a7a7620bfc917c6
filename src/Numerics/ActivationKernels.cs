using System.Numerics;
using System.Numerics.Tensors;

namespace NodeDsl.Numerics;

/// <summary>The DSL's activations over spans: forward, and the backward ∂L/∂z = ∂L/∂a ⊙ σ'(z).</summary>
public static class ActivationKernels
{
    /// <summary>a = σ(z) elementwise (<paramref name="a"/> may be <paramref name="z"/> itself).</summary>
    public static void Forward<T>(Activation activation, ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            // Vectorised where TensorPrimitives has the function (bench/README.md: native kernels).
            case Activation.Tanh: TensorPrimitives.Tanh(z, a); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(z, a); break;
            case Activation.Relu: TensorPrimitives.Max(z, T.Zero, a); break;
            case Activation.Identity: if (!z.Overlaps(a)) z.CopyTo(a); break;
            case Activation.Softplus:
                for (int i = 0; i < z.Length; i++) a[i] = ScalarMath.Softplus(z[i]);
                break;
            case Activation.Silu:
                for (int i = 0; i < z.Length; i++) a[i] = z[i] * ScalarMath.Sigmoid(z[i]);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>g ← g ⊙ σ'(z), with σ' from z and a = σ(z) (tanh: 1 − a², sigmoid: a(1 − a), …).</summary>
    public static void Backward<T>(Activation activation, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Tanh or Activation.Sigmoid: ScaleByDerivative(activation, a, g); break;
            case Activation.Relu:
                for (int i = 0; i < g.Length; i++) if (!(z[i] > T.Zero)) g[i] = T.Zero;
                break;
            case Activation.Identity: break;
            case Activation.Softplus:
                for (int i = 0; i < g.Length; i++) g[i] *= ScalarMath.Sigmoid(z[i]);
                break;
            case Activation.Silu:
                for (int i = 0; i < g.Length; i++)
                {
                    T s = ScalarMath.Sigmoid(z[i]);
                    g[i] *= s + z[i] * s * (T.One - s);
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    // Chunk of the vectorised backward's intermediate σ'(z) (on the stack: 2 KB in double).
    const int Chunk = 256;

    // g ⊙= σ' from a = σ(z), vectorised in stack chunks: tanh 1 − a·a, sigmoid a·(1 − a) — the scalar formulas' operations
    // in the same order, so the same rounding as g·(1 − a·a) and g·(a·(1 − a)).
    static void ScaleByDerivative<T>(Activation activation, ReadOnlySpan<T> a, Span<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> chunk = stackalloc T[Chunk];
        for (int i = 0; i < g.Length; i += Chunk)
        {
            int length = Math.Min(Chunk, g.Length - i);
            var c = chunk[..length];
            var ai = a.Slice(i, length);
            var gi = g.Slice(i, length);
            if (activation == Activation.Tanh)
            {
                TensorPrimitives.Multiply(ai, ai, c);
                TensorPrimitives.Subtract(T.One, c, c);
            }
            else
            {
                TensorPrimitives.Subtract(T.One, ai, c);
                TensorPrimitives.Multiply(ai, c, c);
            }
            TensorPrimitives.Multiply(gi, c, gi);
        }
    }
}
