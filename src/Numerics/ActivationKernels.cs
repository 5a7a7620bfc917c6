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
            case Activation.Tanh:
                for (int i = 0; i < g.Length; i++) g[i] *= T.One - a[i] * a[i];
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < g.Length; i++) g[i] *= a[i] * (T.One - a[i]);
                break;
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
}
