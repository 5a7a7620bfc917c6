using System.ComponentModel;

namespace NodeDsl;

// Code inside namespace NodeDsl.* that writes Math.X finds NodeDsl.Math before System.Math (enclosing-namespace
// members win over using directives). These forwarders keep such code meaning System.Math. They are not part
// of the DSL: the generator rejects them inside rate expressions.
public static partial class Math
{
#pragma warning disable CS1591
    public const double PI = System.Math.PI;
    public const double E = System.Math.E;
    public const double Tau = System.Math.Tau;
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Abs(int x) => System.Math.Abs(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static long Abs(long x) => System.Math.Abs(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static float Abs(float x) => System.Math.Abs(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Sign(int x) => System.Math.Sign(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Sign(long x) => System.Math.Sign(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Sign(float x) => System.Math.Sign(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Max(int a, int b) => System.Math.Max(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static long Max(long a, long b) => System.Math.Max(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static float Max(float a, float b) => System.Math.Max(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Max(double a, double b) => System.Math.Max(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Min(int a, int b) => System.Math.Min(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static long Min(long a, long b) => System.Math.Min(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static float Min(float a, float b) => System.Math.Min(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Min(double a, double b) => System.Math.Min(a, b);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Clamp(int x, int lo, int hi) => System.Math.Clamp(x, lo, hi);
    [EditorBrowsable(EditorBrowsableState.Never)] public static long Clamp(long x, long lo, long hi) => System.Math.Clamp(x, lo, hi);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Clamp(double x, double lo, double hi) => System.Math.Clamp(x, lo, hi);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Floor(double x) => System.Math.Floor(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Ceiling(double x) => System.Math.Ceiling(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Round(double x) => System.Math.Round(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Round(double x, int digits) => System.Math.Round(x, digits);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Round(double x, MidpointRounding mode) => System.Math.Round(x, mode);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Round(double x, int digits, MidpointRounding mode) => System.Math.Round(x, digits, mode);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Truncate(double x) => System.Math.Truncate(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Log(double x, double newBase) => System.Math.Log(x, newBase);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Log10(double x) => System.Math.Log10(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Log2(double x) => System.Math.Log2(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Cbrt(double x) => System.Math.Cbrt(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Asin(double x) => System.Math.Asin(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Acos(double x) => System.Math.Acos(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Atan(double x) => System.Math.Atan(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Atan2(double y, double x) => System.Math.Atan2(y, x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double Hypot(double x, double y) => double.Hypot(x, y);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double FusedMultiplyAdd(double x, double y, double z) => System.Math.FusedMultiplyAdd(x, y, z);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double MaxMagnitude(double x, double y) => System.Math.MaxMagnitude(x, y);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double MinMagnitude(double x, double y) => System.Math.MinMagnitude(x, y);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double BitIncrement(double x) => System.Math.BitIncrement(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double BitDecrement(double x) => System.Math.BitDecrement(x);
    [EditorBrowsable(EditorBrowsableState.Never)] public static double ScaleB(double x, int n) => System.Math.ScaleB(x, n);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int DivRem(int a, int b, out int rem) => System.Math.DivRem(a, b, out rem);
    [EditorBrowsable(EditorBrowsableState.Never)] public static long DivRem(long a, long b, out long rem) => System.Math.DivRem(a, b, out rem);
    [EditorBrowsable(EditorBrowsableState.Never)] public static int Pow(int x, int y) => checked((int)System.Math.Pow(x, y));
#pragma warning restore CS1591
}
