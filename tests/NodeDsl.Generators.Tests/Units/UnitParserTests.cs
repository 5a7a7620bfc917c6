using NodeDsl.Generators.Model;
using NodeDsl.Generators.Units;

namespace NodeDsl.Generators.Tests.Units;

/// <summary>The unit parser against units written out in SI base units by hand.</summary>
public class UnitParserTests
{
    // Exponents over (kg, m, s, A, K, mol, cd).
    static Unit U(double scale, params int[] exponents)
        => new(scale, Enumerable.Range(0, 7).Select(i => new Rational(i < exponents.Length ? exponents[i] : 0)).ToEquatableArray());

    public static TheoryData<string, double, int[]> Cases => new()
    {
        { "m", 1, [0, 1] },
        { "kg*m^2/s^2", 1, [1, 2, -2] },
        { "J", 1, [1, 2, -2] },
        { "N m", 1, [1, 2, -2] },
        { "N·m", 1, [1, 2, -2] },
        { "1/s", 1, [0, 0, -1] },
        { "Hz", 1, [0, 0, -1] },
        { "s^-1", 1, [0, 0, -1] },
        { "mmol/L", 1, [0, -3, 0, 0, 0, 1] },       // 1e-3 mol / 1e-3 m³
        { "mmol/L/min", 1.0 / 60, [0, -3, -1, 0, 0, 1] },
        { "km/h", 1000.0 / 3600, [0, 1, -1] },
        { "W", 1, [1, 2, -3] },
        { "kPa", 1000, [1, -1, -2] },
        { "g", 1e-3, [1] },
        { "mg/dL", 1e-6 / 1e-4, [1, -3] },
        { "µm", 1e-6, [0, 1] },
        { "min", 60, [0, 0, 1] },
        { "ms", 1e-3, [0, 0, 1] },
        { "mm", 1e-3, [0, 1] },
        { "mol/(L*s)", 1000, [0, -3, -1, 0, 0, 1] },
        { "V", 1, [1, 2, -3, -1] },
        { "rad/s", 1, [0, 0, -1] },
        { "1", 1, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParsesToItsSiBaseForm(string text, double scale, int[] exponents)
    {
        var unit = UnitParser.Parse(text, out var error);
        Assert.True(unit is not null, error);
        // Scales are products of a few powers of ten and 60/3600: equal to 1e-9 relative, the tolerance of Unit.SameAs.
        Assert.True(unit!.SameAs(U(scale, exponents)), $"{text} parsed as {unit}");
    }

    [Fact]
    public void FractionalPowersAreExact()
    {
        var unit = UnitParser.Parse("m^(1/2)", out _)!;
        Assert.Equal(new Rational(1, 2), unit.Exponents[1]);
        Assert.True(unit.Pow(new Rational(2)).SameAs(UnitParser.Parse("m", out _)!));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("meters", "'meters'")]
    [InlineData("m^", "exponent")]
    [InlineData("kg*(m/s", "')'")]
    [InlineData("m/", "missing")]
    [InlineData("m$", "'$'")]
    public void RejectsWhatIsNotAUnit(string text, string named)
    {
        Assert.Null(UnitParser.Parse(text, out var error));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesShowSiFormAndTheDerivedName()
    {
        Assert.Equal("kg*m^2/s^2 (J)", UnitParser.Parse("N*m", out _)!.ToString());
        Assert.Equal("m/s", UnitParser.Parse("m/s", out _)!.ToString());
        Assert.Equal("1", UnitParser.Parse("m/m", out _)!.ToString());
        Assert.Equal("1000*m", UnitParser.Parse("km", out _)!.ToString());
    }
}
