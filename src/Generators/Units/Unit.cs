namespace NodeDsl.Generators.Units;

/// <summary>
/// A physical unit: a scale relative to the SI base units and a rational exponent per base dimension (kg, m, s, A, K,
/// mol, cd). "km/h" is scale 1000/3600 with m¹s⁻¹. Value-equal, so it may travel in pipeline models.
/// </summary>
internal sealed record Unit(double Scale, EquatableArray<Rational> Exponents)
{
    /// <summary>The SI base symbols, in the order of <see cref="Exponents"/>.</summary>
    public static readonly string[] BaseSymbols = ["kg", "m", "s", "A", "K", "mol", "cd"];

    public static Unit One { get; } = new(1.0, Enumerable.Repeat(Rational.Zero, BaseSymbols.Length).ToEquatableArray());

    /// <summary>The base unit at <paramref name="index"/> of <see cref="BaseSymbols"/>.</summary>
    public static Unit Base(int index) => new(1.0, Enumerable.Range(0, BaseSymbols.Length).Select(i => i == index ? new Rational(1) : Rational.Zero).ToEquatableArray());

    /// <summary>A pure number with no dimension (its scale may differ from 1, as in km/m).</summary>
    public bool IsDimensionless => Exponents.All(e => e.IsZero);

    public static Unit operator *(Unit a, Unit b) => new(a.Scale * b.Scale, a.Exponents.Zip(b.Exponents, (x, y) => x + y).ToEquatableArray());

    public static Unit operator /(Unit a, Unit b) => a * b.Pow(new Rational(-1));

    public Unit Pow(Rational power) => new(System.Math.Pow(Scale, power.ToDouble()), Exponents.Select(e => e * power).ToEquatableArray());

    /// <summary>Same dimension and the same scale (to rounding): values in the two units can be added as they are.</summary>
    public bool SameAs(Unit other)
        => Exponents.Equals(other.Exponents) && System.Math.Abs(Scale - other.Scale) <= 1e-9 * System.Math.Max(System.Math.Abs(Scale), System.Math.Abs(other.Scale));

    /// <summary>
    /// SI form for messages, e.g. "kg*m^2/s^2 (J)", "1/s", "1" for a pure number, "0.001*m" for a scaled unit; the name of
    /// a derived unit with the same dimension and scale is added in parentheses.
    /// </summary>
    public override string ToString()
    {
        var up = new List<string>();
        var down = new List<string>();
        for (int i = 0; i < BaseSymbols.Length; i++)
        {
            var e = Exponents[i];
            if (e.IsZero) continue;
            var magnitude = e.Numerator < 0 ? -e : e;
            var text = BaseSymbols[i] + (magnitude == new Rational(1) ? "" : "^" + (magnitude.Denominator == 1 ? magnitude.ToString() : "(" + magnitude + ")"));
            (e.Numerator < 0 ? down : up).Add(text);
        }
        var scale = Scale == 1.0 ? "" : Scale.ToString("G6", CultureInfo.InvariantCulture);
        var numerator = string.Join("*", (scale.Length > 0 ? new[] { scale } : Array.Empty<string>()).Concat(up));
        if (numerator.Length == 0) numerator = "1";
        var text2 = down.Count == 0 ? numerator : numerator + "/" + (down.Count == 1 ? down[0] : string.Join("/", down));
        var named = UnitParser.NameOf(this);
        return named is null || named == text2 ? text2 : text2 + " (" + named + ")";
    }
}
