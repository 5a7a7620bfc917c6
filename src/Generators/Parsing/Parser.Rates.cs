using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NodeDsl.Generators.Diagnostics;
using NodeDsl.Generators.Model;
using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Parsing;

/// <summary>Part of <see cref="Parser"/>.</summary>
internal sealed partial class Parser
{
    List<(IFieldSymbol Field, string Role, int Size, bool IsVector, int Offset)> Layout()
    {
        // Observed states in declaration order, augmented states last, so y[:, :ObservedSize] is what a loss sees.
        var ordered = states.Where(s => s.Role != "Augmented").Concat(states.Where(s => s.Role == "Augmented"));
        var result = new List<(IFieldSymbol, string, int, bool, int)>();
        int offset = 0;
        foreach (var s in ordered)
        {
            result.Add((s.Field, s.Role, s.Size, s.IsVector, offset));
            offset += s.Size;
        }
        return result;
    }

    (RatesSpec?, Expr?[]) ParseRates(ExpressionTranslator translator, List<(IFieldSymbol Field, string Role, int Size, bool IsVector, int Offset)> layout, Location? anchor)
    {
        var empty = new Expr?[layout.Count];
        var candidates = type.GetMembers().OfType<IMethodSymbol>().Where(m => HasAttribute(m, SymbolNames.Rates)).ToList();
        if (candidates.Count != 1)
        {
            diagnostics.Add(DiagnosticDescriptors.MissingRates, candidates.Count == 0 ? anchor : candidates[1].Locations.FirstOrDefault(), type.Name,
                candidates.Count == 0 ? "has no [Rates] method: " + SuggestedRates(layout) : "has more than one [Rates] method; keep one");
            return (null, empty);
        }
        var method = candidates[0];
        var location = method.Locations.FirstOrDefault();
        if (method.Parameters.Length != 0 || method.IsStatic || method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, method.Name, "must be a parameterless, non-generic instance method; it reads the model's fields");
            return (null, empty);
        }
        // Expected: one state → double/Vec; several → a tuple whose element names are the states.
        List<string> names;
        bool returnsTuple = method.ReturnType is INamedTypeSymbol { IsTupleType: true };
        if (returnsTuple)
        {
            var elements = ((INamedTypeSymbol)method.ReturnType).TupleElements;
            names = elements.Select(e => e.IsExplicitlyNamedTupleElement ? e.Name : "").ToList();
            var stateNames = layout.Select(s => s.Field.Name).ToList();
            var unknown = names.Where(n => !stateNames.Contains(n)).ToList();
            var duplicate = names.GroupBy(n => n).Where(g => g.Count() > 1 && g.Key.Length > 0).Select(g => g.Key).ToList();
            if (unknown.Count > 0 || duplicate.Count > 0 || names.Count != stateNames.Count && stateNames.All(names.Contains))
            {
                var problem = unknown.Count > 0
                    ? $"tuple element(s) {string.Join(", ", unknown.Select(u => u.Length == 0 ? "(unnamed)" : "'" + u + "'"))} name no state; name each element after its state ({string.Join(", ", stateNames)})"
                    : $"the tuple has {names.Count} elements for {stateNames.Count} states ({string.Join(", ", stateNames)}); return one rate per state";
                diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name, problem);
                return (null, empty);
            }
            foreach (var s in layout.Where(s => !names.Contains(s.Field.Name)))
                diagnostics.Add(DiagnosticDescriptors.StateWithoutRate, s.Field.Locations.FirstOrDefault(), s.Field.Name, method.Name);
            if (diagnostics.HasErrors) return (null, empty);
            for (int i = 0; i < elements.Length; i++)
            {
                var state = layout.First(s => s.Field.Name == names[i]);
                if (state.IsVector != SymbolNames.IsVec(elements[i].Type) || !(SymbolNames.IsVec(elements[i].Type) || SymbolNames.IsDouble(elements[i].Type)))
                {
                    diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name,
                        $"the rate of '{names[i]}' must be a {(state.IsVector ? "Vec" : "double")} like the state");
                    return (null, empty);
                }
            }
        }
        else
        {
            if (layout.Count != 1)
            {
                diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name,
                    $"it returns one value for {layout.Count} states; return a tuple named after the states ({string.Join(", ", layout.Select(s => s.Field.Name))})");
                return (null, empty);
            }
            if (layout[0].IsVector != SymbolNames.IsVec(method.ReturnType) || !(SymbolNames.IsVec(method.ReturnType) || SymbolNames.IsDouble(method.ReturnType)))
            {
                diagnostics.Add(DiagnosticDescriptors.RatesMismatch, ReturnTypeLocation(method) ?? location, method.Name,
                    $"the rate of '{layout[0].Field.Name}' must be a {(layout[0].IsVector ? "Vec" : "double")} like the state");
                return (null, empty);
            }
            names = new List<string> { layout[0].Field.Name };
        }

        var body = Body(method);
        if (body is null)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, method.Name, "has no body");
            return (null, empty);
        }
        var value = translator.TranslateBody(body);
        if (value is null) return (null, empty);
        IReadOnlyList<Expr> results = value switch
        {
            TupleValue t => t.Elements,
            ExprValue e => new[] { e.Expr },
            _ => Array.Empty<Expr>(),
        };
        if (results.Count != names.Count)
        {
            diagnostics.Add(DiagnosticDescriptors.RatesMismatch, location, method.Name, $"the body returns {results.Count} value(s) for {names.Count} states");
            return (null, empty);
        }
        var byState = new Expr?[layout.Count];
        for (int i = 0; i < names.Count; i++)
        {
            int index = layout.FindIndex(s => s.Field.Name == names[i]);
            var expected = layout[index].IsVector ? layout[index].Size : 0;
            if (results[i].Size != expected)
            {
                diagnostics.Add(DiagnosticDescriptors.SizeMismatch, location,
                    $"the rate of '{names[i]}' has {Components(results[i].Size)} but the state has {Components(expected)}");
                return (null, empty);
            }
            byState[index] = results[i];
        }
        return (new RatesSpec(method.Name, returnsTuple, names.ToEquatableArray()), byState);
    }

    // The rates method this model needs, written with its own states.
    static string SuggestedRates(List<(IFieldSymbol Field, string Role, int Size, bool IsVector, int Offset)> layout)
    {
        static string Type(bool isVector) => isVector ? "Vec" : "double";
        if (layout.Count == 1)
            return $"add '[Rates] {Type(layout[0].IsVector)} Rhs() => …;' returning the rate of '{layout[0].Field.Name}'";
        var elements = string.Join(", ", layout.Select(s => Type(s.IsVector) + " " + s.Field.Name));
        return $"add '[Rates] ({elements}) Rhs() => (…);' returning one rate per state, in this order";
    }

    static string Components(int size) => size == 0 ? "1 component (a double)" : $"{size} components";

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
