using System.Numerics;
using System.Runtime.CompilerServices;

namespace NodeDsl.Numerics;

/// <summary>
/// The DSL functions that <see cref="INumberBase{TSelf}"/> does not provide, for float32 and float64, defined exactly as
/// <c>NodeDsl.DslMath</c> and the TorchSharp ops the generator emits (so native and TorchSharp rates agree to rounding).
/// </summary>
public static class ScalarMath
{
    /// <summary>1 / (1 + e^−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    /// <summary>log(1 + e^x); x above 20 is passed through (PyTorch's threshold, beta = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softplus<T>(T x) where T : IFloatingPointIeee754<T>
        => x > T.CreateTruncating(20.0) ? x : Log1P(T.Exp(x));

    /// <summary>max(x, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Relu<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : T.Zero;

    /// <summary>Heaviside step: 1 for x &gt; 0, else 0 (the derivative of ReLU as libtorch defines it at 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Step<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? T.One : T.Zero;

    /// <summary>−1, 0 or 1 as a number; NaN stays NaN (System.Math.Sign would throw).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sign<T>(T x) where T : IFloatingPointIeee754<T>
        => x > T.Zero ? T.One : x < T.Zero ? -T.One : x == T.Zero ? T.Zero : x;

    /// <summary>x².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Square<T>(T x) where T : IFloatingPointIeee754<T> => x * x;

    /// <summary>x^y (T.Pow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow<T>(T x, T y) where T : IFloatingPointIeee754<T> => T.Pow(x, y);

    /// <summary>log(1 + x), accurate for small x (Goldberg's trick, as libtorch's log1p); .NET's LogP1 is log(x + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1P<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }
}
