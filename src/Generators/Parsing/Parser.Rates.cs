namespace NodeDsl.Generators.Parsing;

/// <summary>Part of <see cref="Parser"/>.</summary>
internal sealed partial class Parser
{
    /// <summary>The state layout: observed states in declaration order, augmented states last, so y[:, :ObservedSize] is what a loss sees.</summary>
    List<StateSpec> Layout()
    {
        if (lagrangian || IsSecondOrder) return PairedLayout();
        var ordered = states.Where(s => s.Role != StateRole.Augmented).Concat(states.Where(s => s.Role == StateRole.Augmented));
        var result = new List<StateSpec>();
        int offset = 0;
        foreach (var s in ordered)
        {
            result.Add(new StateSpec(s.Field.Name, offset, s.Shape, s.Role));
            offset += s.Shape.Width;
        }
        return result;
    }

    Location? StateLocation(string name) => states.First(s => s.Field.Name == name).Field.Locations.FirstOrDefault();

    /// <summary>The [Rates] method, checked against the states before its body is translated.</summary>
    sealed record RatesDeclaration(IMethodSymbol Method, bool ReturnsTuple, IReadOnlyList<string> Names, SyntaxNode Body);

    RatesDeclaration? FindRates(List<StateSpec> layout, Location? anchor)
    {
        var method = FindMarkedMethod(anchor, SymbolNames.Rates, DiagnosticDescriptors.MissingRates,
            "has no [Rates] method: " + SuggestedRates(layout), "has more than one [Rates] method; keep one");
        if (method is null) return null;
        var location = method.Locations.FirstOrDefault();
        // Expected: one state → double/Vec; several → a tuple whose element names are the states.
        List<string> names;
        bool returnsTuple = method.ReturnType is INamedTypeSymbol { IsTupleType: true };
        if (returnsTuple)
        {
            var elements = ((INamedTypeSymbol)method.ReturnType).TupleElements;
            names = elements.Select(e => e.IsExplicitlyNamedTupleElement ? e.Name : "").ToList();
            var stateNames = layout.Select(s => s.Name).ToList();
            var unknown = names.Where(n => !stateNames.Contains(n)).ToList();
            var duplicate = names.GroupBy(n => n).Where(g => g.Count() > 1 && g.Key.Length > 0).Select(g => g.Key).ToList();
            if (unknown.Count > 0 || duplicate.Count > 0 || names.Count != stateNames.Count && stateNames.All(names.Contains))
            {
                var problem = unknown.Count > 0
                    ? $"tuple element(s) {string.Join(", ", unknown.Select(u => u.Length == 0 ? "(unnamed)" : "'" + u + "'"))} name no state; name each element after its state ({string.Join(", ", stateNames)})"
                    : $"the tuple has {names.Count} elements for {stateNames.Count} states ({string.Join(", ", stateNames)}); return one rate per state";
                diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name, problem);
                return null;
            }
            foreach (var s in layout.Where(s => !names.Contains(s.Name)))
                diagnostics.Add(DiagnosticDescriptors.StateWithoutRate, StateLocation(s.Name), s.Name, method.Name);
            if (diagnostics.HasErrors) return null;
            for (int i = 0; i < elements.Length; i++)
            {
                var state = layout.First(s => s.Name == names[i]);
                if (!HasStateType(elements[i].Type, state))
                {
                    diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name,
                        $"the rate of '{names[i]}' must be a {TypeName(state.Shape)} like the state");
                    return null;
                }
            }
        }
        else
        {
            if (layout.Count != 1)
            {
                diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name,
                    $"it returns one value for {layout.Count} states; return a tuple named after the states ({string.Join(", ", layout.Select(s => s.Name))})");
                return null;
            }
            if (!HasStateType(method.ReturnType, layout[0]))
            {
                diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name,
                    $"the rate of '{layout[0].Name}' must be a {TypeName(layout[0].Shape)} like the state");
                return null;
            }
            names = new List<string> { layout[0].Name };
        }

        var body = Body(method);
        if (body is null)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, method.Name, "has no body");
            return null;
        }
        return new RatesDeclaration(method, returnsTuple, names, body);
    }

    /// <summary>The one parameterless instance method marked <paramref name="attribute"/> ([Rates], [Accelerations]), or null after a diagnostic.</summary>
    IMethodSymbol? FindMarkedMethod(Location? anchor, string attribute, DiagnosticDescriptor missingOrDuplicate, string missing, string duplicate)
    {
        var candidates = type.GetMembers().OfType<IMethodSymbol>().Where(m => HasAttribute(m, attribute)).ToList();
        if (candidates.Count != 1)
        {
            diagnostics.Add(missingOrDuplicate, candidates.Count == 0 ? anchor : candidates[1].Locations.FirstOrDefault(), type.Name,
                candidates.Count == 0 ? missing : duplicate);
            return null;
        }
        var method = candidates[0];
        if (method.Parameters.Length != 0 || method.IsStatic || method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, method.Locations.FirstOrDefault(), method.Name,
                "must be a parameterless, non-generic instance method; it reads the model's fields");
            return null;
        }
        return method;
    }

    static bool HasStateType(ITypeSymbol rateType, StateSpec state)
        => state.IsVector ? SymbolNames.IsVec(rateType) : SymbolNames.IsDouble(rateType);

    static string TypeName(Shape shape) => shape.IsVector ? "Vec" : "double";

    /// <summary>The values a rates-like method returns: a tuple's elements, one expression, or none.</summary>
    static IReadOnlyList<Expr> ReturnedValues(Value value) => value switch
    {
        TupleValue t => t.Elements,
        ExprValue e => new[] { e.Expr },
        _ => Array.Empty<Expr>(),
    };

    /// <summary>The translated rates in state order, each checked against its state's shape.</summary>
    (RatesSpec?, Expr?[]) MatchRates(RatesDeclaration rates, Value value, List<StateSpec> layout)
    {
        var empty = new Expr?[layout.Count];
        var location = rates.Method.Locations.FirstOrDefault();
        var results = ReturnedValues(value);
        if (results.Count != rates.Names.Count)
        {
            diagnostics.Add(DiagnosticDescriptors.RatesMismatch, location, rates.Method.Name, $"the body returns {results.Count} value(s) for {rates.Names.Count} states");
            return (null, empty);
        }
        var byState = new Expr?[layout.Count];
        for (int i = 0; i < rates.Names.Count; i++)
        {
            int index = layout.FindIndex(s => s.Name == rates.Names[i]);
            var expected = layout[index].Shape;
            if (results[i].Shape != expected)
            {
                diagnostics.Add(DiagnosticDescriptors.SizeMismatch, location,
                    $"the rate of '{rates.Names[i]}' has {results[i].Shape.Describe()} but the state has {expected.Describe()}");
                return (null, empty);
            }
            byState[index] = results[i];
        }
        return (new RatesSpec(rates.Method.Name, rates.ReturnsTuple, rates.Names.ToEquatableArray()), byState);
    }

    // The rates method this model needs, written with its own states.
    static string SuggestedRates(List<StateSpec> layout)
    {
        if (layout.Count == 1)
            return $"add '[Rates] {TypeName(layout[0].Shape)} Rhs() => …;' returning the rate of '{layout[0].Name}'";
        var elements = string.Join(", ", layout.Select(s => TypeName(s.Shape) + " " + s.Name));
        return $"add '[Rates] ({elements}) Rhs() => (…);' returning one rate per state, in this order";
    }

    Location? ReturnTypeLocation(IMethodSymbol method)
        => method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellation)).OfType<MethodDeclarationSyntax>().FirstOrDefault()?.ReturnType.GetLocation();

    SyntaxNode? Body(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
            if (reference.GetSyntax(cancellation) is MethodDeclarationSyntax decl)
                return (SyntaxNode?)decl.Body ?? decl.ExpressionBody;
        return null;
    }
}
