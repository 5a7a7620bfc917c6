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
    void ParseNeural(IMethodSymbol method)
    {
        var location = method.Locations.FirstOrDefault();
        var attribute = GetAttribute(method, SymbolNames.Neural)!;
        string Invalid(string why)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidNeural, location, method.Name, why);
            return why;
        }
        if (!method.IsPartialDefinition || method.PartialImplementationPart is not null)
        {
            Invalid(method.PartialImplementationPart is not null
                ? "it already has a body; the generator writes the body of a [Neural] method, declare it 'partial' without one"
                : "declare it as a partial method without a body, e.g. 'private partial double Net(double x);'");
            return;
        }
        if (method.IsStatic || method.IsGenericMethod) { Invalid("a [Neural] method cannot be static or generic"); return; }
        foreach (var p in method.Parameters)
            if (!(SymbolNames.IsDouble(p.Type) || SymbolNames.IsVec(p.Type)) || p.RefKind != Microsoft.CodeAnalysis.RefKind.None || p.IsParams)
            { Invalid($"parameter '{p.Name}' must be a plain double or Vec"); return; }
        if (method.Parameters.Length == 0) { Invalid("a network needs at least one input parameter"); return; }
        int outputSize = Named(attribute, "OutputSize") as int? ?? 0;
        NetworkReturn returns;
        var tupleNames = new List<string>();
        if (SymbolNames.IsDouble(method.ReturnType))
        {
            returns = NetworkReturn.Double;
            outputSize = 1;
        }
        else if (SymbolNames.IsVec(method.ReturnType))
        {
            returns = NetworkReturn.Vector;
            if (outputSize < 0) { Invalid("OutputSize must be positive"); return; }
            // 0: a vector field R^n → R^n, the output width is the input width (set from the first call).
        }
        else if (method.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple && tuple.TupleElements.All(e => SymbolNames.IsDouble(e.Type)))
        {
            returns = NetworkReturn.Tuple;
            outputSize = tuple.TupleElements.Length;
            tupleNames.AddRange(tuple.TupleElements.Select(e => e.Name));
        }
        else
        {
            Invalid($"it returns '{method.ReturnType.ToDisplayString()}'; return double, Vec or a tuple of doubles");
            return;
        }
        if (CustomModuleType(attribute) is { } moduleType)
        {
            if (!IsTensorModule(moduleType)) { Invalid($"'{moduleType.Name}' is not a TorchSharp Module<Tensor, Tensor>"); return; }
            if (moduleType.IsAbstract || !moduleType.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal))
            { Invalid($"'{moduleType.Name}' needs a public parameterless constructor"); return; }
        }
        else
        {
            var hidden = HiddenSizes(attribute);
            if (hidden.Any(h => h <= 0)) { Invalid("hidden layer widths must be positive"); return; }
        }
        var decl = new NeuralDecl(method, returns, tupleNames, outputSize);
        members.Networks[method.Name] = decl;
        networks.Add((decl, method, attribute));
    }

    static INamedTypeSymbol? CustomModuleType(AttributeData data)
        => data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Kind == TypedConstantKind.Type
            ? data.ConstructorArguments[0].Value as INamedTypeSymbol
            : null;

    static object? Named(AttributeData data, string name)
        => data.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value;

    static int[] HiddenSizes(AttributeData data)
    {
        if (data.ConstructorArguments.Length != 1) return Array.Empty<int>();
        var arg = data.ConstructorArguments[0];
        return arg.Kind == TypedConstantKind.Array ? arg.Values.Select(v => v.Value is int i ? i : 0).ToArray() : Array.Empty<int>();
    }

    static bool IsTensorModule(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.MetadataName == "Module`2" && t.ContainingType?.ToDisplayString() == "TorchSharp.torch.nn"
                && t.TypeArguments.All(a => a.ToDisplayString() == "TorchSharp.torch.Tensor"))
                return true;
        return false;
    }

    EquatableArray<NetworkSpec> FinishNetworks()
    {
        var specs = new List<NetworkSpec>();
        int index = 0;
        foreach (var (decl, method, attribute) in networks)
        {
            var parameters = new List<NetworkParameterSpec>();
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                bool isVec = SymbolNames.IsVec(p.Type);
                int size = isVec ? decl.VectorSizes[i] ?? 0 : 1;
                if (isVec && size == 0)
                    diagnostics.Add(DiagnosticDescriptors.InvalidNeural, method.Locations.FirstOrDefault(), method.Name,
                        $"the size of Vec parameter '{p.Name}' is taken from the calls, but the rates never call '{method.Name}'; call it or remove it");
                if (decl.OutputSize == 0 && !diagnostics.HasErrors)
                    diagnostics.Add(DiagnosticDescriptors.InvalidNeural, method.Locations.FirstOrDefault(), method.Name,
                        $"its output size is taken from the calls, but the rates never call '{method.Name}'; set OutputSize or remove it");
                parameters.Add(new NetworkParameterSpec(p.Name, isVec, size));
            }
            var custom = CustomModuleType(attribute)?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var activationValue = Named(attribute, "Activation") as int? ?? 0;
            var activation = ((string[])["Tanh", "Relu", "Sigmoid", "Softplus", "Silu", "Identity"]) is var names && activationValue >= 0 && activationValue < names.Length
                ? names[activationValue] : "Tanh";
            var modifiers = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellation)).OfType<MethodDeclarationSyntax>().FirstOrDefault()
                ?.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText) ?? Enumerable.Empty<string>();
            specs.Add(new NetworkSpec(method.Name, index++, string.Join(" ", modifiers), parameters.ToEquatableArray(), decl.Returns,
                decl.TupleNames.ToEquatableArray(), parameters.Sum(p => p.Size), decl.OutputSize,
                custom is null ? HiddenSizes(attribute).ToEquatableArray() : EquatableArray<int>.Empty, activation, custom));
        }
        return specs.ToEquatableArray();
    }
}
