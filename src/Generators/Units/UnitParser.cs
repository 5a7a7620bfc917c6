namespace NodeDsl.Generators.Units;

/// <summary>
/// Parses unit strings: SI base and derived units with SI prefixes, products (<c>*</c>, <c>·</c> or a space), quotients
/// (<c>/</c>, left to right: <c>mmol/L/s</c> is mmol/(L·s)), powers (<c>m^2</c>, <c>s^-1</c>, <c>m^(1/2)</c>), parentheses
/// and <c>1</c> (<c>1/s</c>). A symbol is looked up whole first, then as prefix + symbol, so <c>min</c> is a minute,
/// <c>mm</c> a millimetre and <c>h</c> an hour.
/// </summary>
internal static class UnitParser
{
    // Symbol → (scale to SI, exponents over kg, m, s, A, K, mol, cd).
    static readonly Dictionary<string, Unit> Symbols = BuildSymbols();

    // Derived units that are named in messages (same dimension and scale).
    static readonly string[] NamedUnits = ["N", "J", "W", "Pa", "Hz", "C", "V", "Ohm", "F", "T", "Wb", "H", "S"];

    static readonly Dictionary<string, double> Prefixes = new()
    {
        ["Y"] = 1e24, ["Z"] = 1e21, ["E"] = 1e18, ["P"] = 1e15, ["T"] = 1e12, ["G"] = 1e9, ["M"] = 1e6, ["k"] = 1e3,
        ["h"] = 1e2, ["da"] = 1e1, ["d"] = 1e-1, ["c"] = 1e-2, ["m"] = 1e-3, ["u"] = 1e-6, ["µ"] = 1e-6, ["μ"] = 1e-6,
        ["n"] = 1e-9, ["p"] = 1e-12, ["f"] = 1e-15, ["a"] = 1e-18, ["z"] = 1e-21, ["y"] = 1e-24,
    };

    static Dictionary<string, Unit> BuildSymbols()
    {
        Unit kg = Unit.Base(0), m = Unit.Base(1), s = Unit.Base(2), A = Unit.Base(3), K = Unit.Base(4), mol = Unit.Base(5), cd = Unit.Base(6);
        Unit Scaled(double scale, Unit u) => u with { Scale = u.Scale * scale };
        var N = kg * m / (s * s);
        var J = N * m;
        var W = J / s;
        var C = A * s;
        var V = W / A;
        var symbols = new Dictionary<string, Unit>
        {
            ["g"] = Scaled(1e-3, kg), ["m"] = m, ["s"] = s, ["A"] = A, ["K"] = K, ["mol"] = mol, ["cd"] = cd,
            ["N"] = N, ["J"] = J, ["W"] = W, ["Pa"] = N / (m * m), ["Hz"] = Unit.One / s, ["C"] = C, ["V"] = V,
            ["Ohm"] = V / A, ["Ω"] = V / A, ["F"] = C / V, ["T"] = V * s / (m * m), ["Wb"] = V * s, ["H"] = V * s / A, ["S"] = A / V,
            ["L"] = Scaled(1e-3, m * m * m), ["l"] = Scaled(1e-3, m * m * m), ["M"] = Scaled(1e3, mol / (m * m * m)),
            ["min"] = Scaled(60, s), ["h"] = Scaled(3600, s), ["d"] = Scaled(86400, s),
            ["eV"] = Scaled(1.602176634e-19, J), ["bar"] = Scaled(1e5, N / (m * m)), ["t"] = Scaled(1e3, kg),
            // Angles are ratios of lengths: dimensionless.
            ["rad"] = Unit.One, ["sr"] = Unit.One,
        };
        return symbols;
    }

    /// <summary>The name of a derived unit equal to <paramref name="unit"/>, or null.</summary>
    public static string? NameOf(Unit unit)
    {
        if (unit.IsDimensionless) return null;
        foreach (var name in NamedUnits)
            if (Symbols[name].SameAs(unit)) return name;
        return null;
    }

    /// <summary>The unit <paramref name="text"/> denotes, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static Unit? Parse(string text, out string error)
    {
        error = "";
        var reader = new Reader(text);
        try
        {
            reader.SkipSpaces();
            if (reader.AtEnd) throw new FormatException("the unit is empty; write \"1\" for a pure number");
            var unit = reader.Product();
            reader.SkipSpaces();
            if (!reader.AtEnd) throw new FormatException($"unexpected '{reader.Current}' at position {reader.Position + 1}");
            return unit;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    sealed class Reader(string text)
    {
        int position;

        public bool AtEnd => position >= text.Length;

        public int Position => position;

        public char Current => text[position];

        public void SkipSpaces()
        {
            while (!AtEnd && text[position] == ' ') position++;
        }

        // product := factor (('*' | '·' | ' ' | '/') factor)*
        public Unit Product()
        {
            var result = Factor();
            while (true)
            {
                int before = position;
                SkipSpaces();
                if (AtEnd || Current == ')') { position = before; return result; }
                if (Current is '*' or '·' or '.')
                {
                    position++;
                    result *= Factor();
                }
                else if (Current == '/')
                {
                    position++;
                    result /= Factor();
                }
                else if (position > before)
                {
                    result *= Factor();   // "N m": a space multiplies
                }
                else
                {
                    return result;
                }
            }
        }

        // factor := atom ('^' exponent)?
        Unit Factor()
        {
            SkipSpaces();
            var atom = Atom();
            int afterAtom = position;
            SkipSpaces();
            if (!AtEnd && Current == '^')
            {
                position++;
                return atom.Pow(Exponent());
            }
            position = afterAtom;   // a space here may be a product ("N m")
            return atom;
        }

        Unit Atom()
        {
            if (AtEnd) throw new FormatException("a unit symbol is missing at the end");
            if (Current == '(')
            {
                position++;
                var inner = Product();
                SkipSpaces();
                if (AtEnd || Current != ')') throw new FormatException("a ')' is missing");
                position++;
                return inner;
            }
            if (Current == '1')
            {
                position++;
                return Unit.One;
            }
            int start = position;
            while (!AtEnd && (char.IsLetter(Current) || Current is 'µ' or 'Ω')) position++;
            if (position == start) throw new FormatException($"expected a unit symbol at position {start + 1}, found '{text[start]}'");
            var symbol = text.Substring(start, position - start);
            return Lookup(symbol) ?? throw new FormatException($"'{symbol}' is not a known unit symbol (SI base and derived units with SI prefixes, e.g. m, kg, s, mol, L, N, J, W, Pa, Hz, min, h, d)");
        }

        // exponent := ['-'] integer | '(' ['-'] integer '/' integer ')'
        Rational Exponent()
        {
            SkipSpaces();
            bool parenthesised = !AtEnd && Current == '(';
            if (parenthesised) position++;
            var numerator = Integer();
            int denominator = 1;
            if (parenthesised)
            {
                SkipSpaces();
                if (!AtEnd && Current == '/')
                {
                    position++;
                    denominator = Integer();
                    if (denominator == 0) throw new FormatException("an exponent has a zero denominator");
                }
                SkipSpaces();
                if (AtEnd || Current != ')') throw new FormatException("a ')' is missing after the exponent");
                position++;
            }
            return new Rational(numerator, denominator);
        }

        int Integer()
        {
            SkipSpaces();
            int sign = 1;
            if (!AtEnd && Current is '-' or '+')
            {
                sign = Current == '-' ? -1 : 1;
                position++;
            }
            int start = position;
            while (!AtEnd && char.IsDigit(Current)) position++;
            if (position == start || position - start > 3) throw new FormatException($"expected a whole-number exponent after '^' at position {start + 1}");
            return sign * int.Parse(text.Substring(start, position - start), CultureInfo.InvariantCulture);
        }
    }

    static Unit? Lookup(string symbol)
    {
        if (Symbols.TryGetValue(symbol, out var unit)) return unit;
        foreach (var prefix in Prefixes.OrderByDescending(p => p.Key.Length))
            if (symbol.Length > prefix.Key.Length && symbol.StartsWith(prefix.Key, StringComparison.Ordinal)
                && Symbols.TryGetValue(symbol.Substring(prefix.Key.Length), out var baseUnit) && symbol.Substring(prefix.Key.Length) != "kg")
                return baseUnit with { Scale = baseUnit.Scale * prefix.Value };
        return null;
    }
}
