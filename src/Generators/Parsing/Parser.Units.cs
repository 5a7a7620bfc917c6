using NodeDsl.Generators.Units;

namespace NodeDsl.Generators.Parsing;

/// <summary>Part of <see cref="Parser"/>: the units a model declares, and the dimensional analysis of its body (Units/).</summary>
internal sealed partial class Parser
{
    const string UnitArgument = "Unit";
    const string TimeUnitArgument = "TimeUnit";
    const string OutputUnitArgument = "OutputUnit";

    readonly UnitTable units = new();

    /// <summary>Reads every Unit/TimeUnit/OutputUnit the model declares; an unparsable one is NODE031 at its string.</summary>
    void ReadUnits()
    {
        var table = units;
        foreach (var attribute in type.GetAttributes().Where(a => SymbolNames.FullName(a.AttributeClass) is SymbolNames.OdeModel or SymbolNames.HamiltonianModel))
            if (ReadUnit(attribute, TimeUnitArgument) is { } time) table.Time = time;
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol field)
            {
                foreach (var attribute in field.GetAttributes().Where(a => RoleAttributes.Contains(SymbolNames.FullName(a.AttributeClass))))
                    if (ReadUnit(attribute, UnitArgument) is { } unit) table.Fields[field.Name] = unit;
            }
            else if (member is IMethodSymbol method && GetAttribute(method, SymbolNames.Neural) is { } neural && ReadUnit(neural, OutputUnitArgument) is { } output)
            {
                table.NetworkOutputs[method.Name] = output;
            }
        }
    }

    Unit? ReadUnit(AttributeData attribute, string argument)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key != argument || named.Value.Value is not string text) continue;
            var unit = UnitParser.Parse(text, out var error);
            if (unit is null) diagnostics.Add(DiagnosticDescriptors.InvalidUnit, ArgumentLocation(attribute, argument), text, error);
            return unit;
        }
        return null;
    }

    Location? ArgumentLocation(AttributeData attribute, string argument)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) is not AttributeSyntax syntax) return null;
        var named = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument);
        return (named?.Expression ?? (SyntaxNode)syntax).GetLocation();
    }

    /// <summary>
    /// Checks the body's units when the model declares any: the rate of each state is in state/time, the energy of a
    /// Hamiltonian model in p·q/t for every pair, and every sub-expression follows <see cref="UnitChecker"/>'s rules.
    /// </summary>
    void CheckUnits(BodyTranslation translation, List<StateSpec> layout, Expr?[] rateExpressions, EnergySpec? energy, Location? anchor)
    {
        var table = units;
        if (!table.Declared || translation.Origins is null) return;
        if (table.Time is null)
        {
            diagnostics.Add(DiagnosticDescriptors.MissingTimeUnit, anchor, type.Name, hamiltonian ? "HamiltonianModel" : "OdeModel");
            return;
        }
        var body = energy is null ? null : type.GetMembers(energy.MemberName).FirstOrDefault()?.Locations.FirstOrDefault();
        var checker = new UnitChecker(table, translation.Origins, FoldedConstantUnit, diagnostics, body ?? anchor);
        if (energy is not null)
        {
            var h = checker.Of(energy.Energy);
            if (h is null) return;
            var coordinates = layout.Where(s => s.Role == StateRole.Coordinate).ToList();
            var momenta = layout.Where(s => s.Role == StateRole.Momentum).ToList();
            for (int i = 0; i < coordinates.Count; i++)
            {
                // q' = ∂H/∂p must be in q/t, so H is in p·q/t.
                var expected = table.Field(momenta[i].Name) * table.Field(coordinates[i].Name) / table.Time;
                if (!h.SameAs(expected))
                    diagnostics.Add(DiagnosticDescriptors.EnergyUnitMismatch, checker.Where(energy.Energy), energy.MemberName, h.ToString(),
                        coordinates[i].Name, momenta[i].Name, expected.ToString());
            }
            return;
        }
        for (int i = 0; i < layout.Count; i++)
        {
            if (rateExpressions[i] is not { } rate || checker.Of(rate) is not { } unit) continue;
            var state = table.Field(layout[i].Name);
            var expected = state / table.Time;
            if (!unit.SameAs(expected))
                diagnostics.Add(DiagnosticDescriptors.RateUnitMismatch, checker.Where(rate), layout[i].Name, unit.ToString(), state.ToString(),
                    table.Time.ToString(), expected.ToString());
        }
    }

    // The unit of a constant the compiler folded (e.g. '2 * g' with 'const double g'), measured from its syntax.
    Unit? FoldedConstantUnit(SyntaxNode node)
    {
        return Measure(node);

        Unit? Measure(SyntaxNode n)
        {
            switch (n)
            {
                case ParenthesizedExpressionSyntax p:
                    return Measure(p.Expression);
                case CastExpressionSyntax c:
                    return Measure(c.Expression);
                case PrefixUnaryExpressionSyntax u:
                    return Measure(u.Operand);
                case BinaryExpressionSyntax b:
                    Unit? left = Measure(b.Left), right = Measure(b.Right);
                    if (left is null || right is null) return null;
                    if (b.IsKind(SyntaxKind.MultiplyExpression)) return left * right;
                    if (b.IsKind(SyntaxKind.DivideExpression)) return left / right;
                    if (left.SameAs(right)) return left;
                    diagnostics.Add(DiagnosticDescriptors.UnitMismatchInSum, b, b.IsKind(SyntaxKind.AddExpression) ? "adds" : "subtracts", left.ToString(), right.ToString());
                    return null;
                case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                    var symbol = semantic.GetSymbolInfo(n, cancellation).Symbol as IFieldSymbol;
                    return symbol is not null && SymbolEqualityComparer.Default.Equals(symbol.ContainingType, type) ? units.Field(symbol.Name) : Unit.One;
                default:
                    return Unit.One;
            }
        }
    }
}
