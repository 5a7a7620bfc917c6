namespace NodeDsl;

/// <summary>
/// Functions usable in rate and energy expressions, for <c>double</c> and elementwise for <see cref="Vec"/>.
/// Import with <c>using static NodeDsl.DslMath;</c>. Each has the same definition as the TorchSharp op the
/// generator emits for it, so a model's plain C# rates agree with its tensor rates to rounding.
/// </summary>
/// <remarks>
/// Not named <c>Math</c>: with <c>using NodeDsl;</c> and .NET's implicit <c>using System;</c> a type named Math in
/// this namespace would make every <c>Math.Abs(x)</c> ambiguous (CS0104). <c>Math.X</c> stays <see cref="System.Math"/>,
/// whose same-named functions a rate body may also call on doubles.
/// </remarks>
public static class DslMath
{
    // PyTorch's softplus returns x itself above this threshold (beta = 1).
    const double SoftplusThreshold = 20.0;

#pragma warning disable CS1591 // one-line math functions are self-describing
    public static double Sin(double x) => System.Math.Sin(x);
    public static double Cos(double x) => System.Math.Cos(x);
    public static double Tan(double x) => System.Math.Tan(x);
    public static double Sinh(double x) => System.Math.Sinh(x);
    public static double Cosh(double x) => System.Math.Cosh(x);
    public static double Tanh(double x) => System.Math.Tanh(x);
    public static double Exp(double x) => System.Math.Exp(x);
    public static double Log(double x) => System.Math.Log(x);
    public static double Sqrt(double x) => System.Math.Sqrt(x);
    public static double Abs(double x) => System.Math.Abs(x);
    /// <summary>−1, 0 or 1, as <see cref="System.Math.Sign(double)"/>.</summary>
    public static int Sign(double x) => System.Math.Sign(x);
    public static double Square(double x) => x * x;
    public static double Pow(double x, double y) => System.Math.Pow(x, y);
    public static double Sigmoid(double x) => 1.0 / (1.0 + System.Math.Exp(-x));
    public static double Softplus(double x) => x > SoftplusThreshold ? x : Log1P(System.Math.Exp(x));
    public static double Relu(double x) => x > 0 ? x : 0.0;

    public static Vec Sin(Vec x) => Map(x, Sin);
    public static Vec Cos(Vec x) => Map(x, Cos);
    public static Vec Tan(Vec x) => Map(x, Tan);
    public static Vec Sinh(Vec x) => Map(x, Sinh);
    public static Vec Cosh(Vec x) => Map(x, Cosh);
    public static Vec Tanh(Vec x) => Map(x, Tanh);
    public static Vec Exp(Vec x) => Map(x, Exp);
    public static Vec Log(Vec x) => Map(x, Log);
    public static Vec Sqrt(Vec x) => Map(x, Sqrt);
    public static Vec Abs(Vec x) => Map(x, Abs);
    public static Vec Sign(Vec x) => Map(x, v => System.Math.Sign(v));
    public static Vec Square(Vec x) => Map(x, Square);
    public static Vec Pow(Vec x, double y) => Map(x, v => Pow(v, y));
    public static Vec Pow(Vec x, Vec y) => Vec.Zip(x, y, Pow);
    public static Vec Sigmoid(Vec x) => Map(x, Sigmoid);
    public static Vec Softplus(Vec x) => Map(x, Softplus);
    public static Vec Relu(Vec x) => Map(x, Relu);
#pragma warning restore CS1591

    /// <summary>Sum of the components.</summary>
    public static double Sum(Vec x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>Inner product of two vectors of equal length.</summary>
    public static double Dot(Vec x, Vec y) => Sum(x * y);

    // log(1 + x) accurate for small x (Goldberg's trick), as libtorch's log1p.
    static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : System.Math.Log(u) * x / (u - 1.0);
    }

    static Vec Map(Vec x, Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Map(f);
    }
}
