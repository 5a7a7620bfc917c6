namespace NodeDsl.Runtime;

/// <summary>Functions generated scalar code needs beyond <see cref="NodeDsl.DslMath"/>.</summary>
public static class ScalarFunctions
{
    /// <summary>Heaviside step: 1 for x &gt; 0, else 0 (the derivative of ReLU, as libtorch defines it at 0).</summary>
    public static double Step(double x) => x > 0 ? 1.0 : 0.0;

    /// <summary>Elementwise <see cref="Step(double)"/>.</summary>
    public static Vec Step(Vec x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Map(Step);
    }
}
