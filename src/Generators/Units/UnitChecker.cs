namespace NodeDsl.Generators.Units;

/// <summary>
/// Dimensional analysis of a translated rate or energy body, a pass over the IR: each node's unit from its operands,
/// a diagnostic at the source of every node that breaks a rule (the two units in the message). After a violation the
/// node's unit is unknown (null), so one mistake is reported once.
/// </summary>
/// <remarks>
/// Rules: + and − need the same unit (dimension and scale); × and ÷ multiply and divide units; Sqrt halves the
/// exponents and Square doubles them; Pow needs a pure-number exponent, a constant one unless the base is a pure number;
/// the transcendental functions and networks take pure numbers; a network's outputs are in its OutputUnit; a Vec's parts
/// share one unit. Constants folded by the compiler (<c>2 * g</c> with a <c>const</c> g) are measured from their syntax.
/// </remarks>
internal sealed class UnitChecker(
    UnitTable table, IReadOnlyDictionary<Expr, SyntaxNode> origins, Func<SyntaxNode, Unit?> foldedConstant, Parsing.DiagnosticBag diagnostics, Location? fallback)
{
    readonly Dictionary<Expr, Unit?> units = new(ByReference.Instance);

    /// <summary>Where <paramref name="e"/> was written (the body's member when the translator recorded no source).</summary>
    public Location? Where(Expr e) => origins.TryGetValue(e, out var node) ? node.GetLocation() : fallback;

    /// <summary>The unit of <paramref name="e"/>, or null after a reported violation inside it.</summary>
    public Unit? Of(Expr e)
    {
        if (units.TryGetValue(e, out var known)) return known;
        var unit = Compute(e);
        units[e] = unit;
        return unit;
    }

    Unit? Compute(Expr e)
    {
        switch (e)
        {
            case Literal:
                return origins.TryGetValue(e, out var node) ? foldedConstant(node) : Unit.One;
            case Ref r:
                return r.Kind == MemberKind.Time ? table.Time ?? Unit.One : table.Field(r.Name);
            case Negate n:
                return Of(n.Operand);
            case Binary b:
                return Binary(b);
            case Call c:
                return Call(c);
            case NeuralCall call:
                return Network(call);
            case Slice s:
                return Of(s.Source);
            case Concat c:
                return Parts(c);
            default:
                return Unit.One;
        }
    }

    Unit? Binary(Binary b)
    {
        Unit? left = Of(b.Left), right = Of(b.Right);
        if (left is null || right is null) return null;
        switch (b.Op)
        {
            case BinaryOp.Multiply: return left * right;
            case BinaryOp.Divide: return left / right;
        }
        if (left.SameAs(right)) return left;
        diagnostics.Add(DiagnosticDescriptors.UnitMismatchInSum, Where(b), b.Op == BinaryOp.Add ? "adds" : "subtracts", left.ToString(), right.ToString());
        return null;
    }

    Unit? Call(Call c)
    {
        var u = Of(c.Args[0]);
        if (u is null) return null;
        switch (c.Function)
        {
            case Fn.Sum or Fn.Abs or Fn.Relu:
                return u;
            case Fn.Sign or Fn.Step:
                return Unit.One;
            case Fn.Square:
                return u.Pow(new Rational(2));
            case Fn.Sqrt:
                return u.Pow(new Rational(1, 2));
            case Fn.Pow:
                return Pow(c, u);
        }
        if (IsPureNumber(u)) return Unit.One;
        diagnostics.Add(DiagnosticDescriptors.FunctionOfDimensionedValue, Where(c.Args[0]), c.Function.ToString(), u.ToString());
        return null;
    }

    Unit? Pow(Call c, Unit u)
    {
        var w = Of(c.Args[1]);
        if (w is null) return null;
        if (!IsPureNumber(w))
        {
            diagnostics.Add(DiagnosticDescriptors.PowerOfDimensionedValue, Where(c.Args[1]), u.ToString(), $"the exponent is in {w}, not a pure number");
            return null;
        }
        if (IsPureNumber(u)) return Unit.One;
        if (c.Args[1] is Literal { Value: var exponent } && Rational.FromDouble(exponent) is { } power) return u.Pow(power);
        diagnostics.Add(DiagnosticDescriptors.PowerOfDimensionedValue, Where(c), u.ToString(),
            "the exponent is not a compile-time constant (a whole number or a simple fraction), so the unit of the result is unknown");
        return null;
    }

    Unit? Network(NeuralCall call)
    {
        bool ok = true;
        for (int i = 0; i < call.Args.Count; i++)
        {
            var u = Of(call.Args[i]);
            if (u is null) { ok = false; continue; }
            if (IsPureNumber(u)) continue;
            diagnostics.Add(DiagnosticDescriptors.NetworkOfDimensionedValue, Where(call.Args[i]), call.Network, u.ToString());
            ok = false;
        }
        return ok ? table.Network(call.Network) : null;
    }

    Unit? Parts(Concat c)
    {
        Unit? first = null;
        foreach (var part in c.Parts)
        {
            var u = Of(part);
            if (u is null) return null;
            if (first is null) first = u;
            else if (!first.SameAs(u))
            {
                diagnostics.Add(DiagnosticDescriptors.VecOfMixedUnits, Where(part), first.ToString(), u.ToString());
                return null;
            }
        }
        return first ?? Unit.One;
    }

    // A pure number with scale one: km/m is dimensionless but a thousand times too large for Exp or a network.
    static bool IsPureNumber(Unit u) => u.SameAs(Unit.One);
}
