namespace NodeDsl.Generators.Units;

/// <summary>An exact fraction in lowest terms with a positive denominator: the exponent of a base dimension (Sqrt halves it).</summary>
internal readonly record struct Rational
{
    public Rational(int numerator, int denominator = 1)
    {
        if (denominator == 0) throw new ArgumentOutOfRangeException(nameof(denominator));
        int g = Gcd(System.Math.Abs(numerator), System.Math.Abs(denominator));
        int sign = denominator < 0 ? -1 : 1;
        Numerator = sign * numerator / g;
        Denominator = sign * denominator / g;
    }

    public int Numerator { get; }

    public int Denominator { get; }

    public static Rational Zero => new(0);

    public bool IsZero => Numerator == 0;

    public static Rational operator +(Rational a, Rational b) => new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public double ToDouble() => (double)Numerator / Denominator;

    /// <summary>The fraction nearest to <paramref name="value"/> with a denominator up to 12, when it equals the value exactly.</summary>
    public static Rational? FromDouble(double value)
    {
        for (int d = 1; d <= 12; d++)
        {
            double n = value * d;
            if (System.Math.Abs(n) < int.MaxValue / 16 && n == System.Math.Round(n)) return new Rational((int)n, d);
        }
        return null;
    }

    /// <summary>"2", "-1", "1/2".</summary>
    public override string ToString()
        => Denominator == 1
            ? Numerator.ToString(CultureInfo.InvariantCulture)
            : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);

    static int Gcd(int a, int b) => b == 0 ? System.Math.Max(a, 1) : Gcd(b, a % b);
}
