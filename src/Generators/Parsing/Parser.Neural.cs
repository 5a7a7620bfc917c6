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
        if (method.ReturnsByRef || method.ReturnsByRefReadonly) { Invalid("a [Neural] method returns its result by value; remove 'ref'"); return; }
        if (!HasAccessibilityModifier(method))
        {
            // C# allows a partial method without an accessibility modifier only when it returns void (CS8796).
            Invalid($"give it an accessibility modifier, e.g. 'private partial {method.ReturnType.ToDisplayString()} {method.Name}(…);', so that the generator can implement it");
            return;
        }
        if (members.Networks.ContainsKey(method.Name))
        {
            diagnostics.Add(DiagnosticDescriptors.NameClash, location, method.Name, "another [Neural] method of the same name (networks are registered by name); rename one");
            return;
        }
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
            tupleNames.AddRange(tuple.TupleElements.Select(e => e.IsExplicitlyNamedTupleElement ? e.Name : ""));
        }
        else
        {
            Invalid($"it returns '{method.ReturnType.ToDisplayString()}'; return double, Vec or a tuple of doubles");
            return;
        }
        NetworkModule module;
        if (CustomModuleType(attribute) is { } moduleType)
        {
            if (!IsTensorModule(moduleType)) { Invalid($"'{moduleType.Name}' is not a TorchSharp Module<Tensor, Tensor>"); return; }
            if (moduleType.IsAbstract || !moduleType.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal))
            { Invalid($"'{moduleType.Name}' needs a public parameterless constructor"); return; }
            module = new CustomModule(moduleType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        }
        else
        {
            var hidden = HiddenSizes(attribute);
            if (hidden.Any(h => h <= 0)) { Invalid("hidden layer widths must be positive"); return; }
            module = new PerceptronModule(hidden.ToEquatableArray(), ActivationName(attribute));
        }
        var decl = new NeuralDeclaration(method, Modifiers(method), returns, tupleNames, outputSize, module);
        members.Networks[method.Name] = decl;
        networks.Add(decl);
    }

    // NodeDsl.Activation member names in declaration order (the attribute stores the enum's value).
    static readonly string[] Activations = { "Tanh", "Relu", "Sigmoid", "Softplus", "Silu", "Identity" };

    static string ActivationName(AttributeData attribute)
        => Named(attribute, "Activation") is int value && value >= 0 && value < Activations.Length ? Activations[value] : "Tanh";

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

    // The declaration's modifiers other than 'partial', which the implementing part must repeat.
    string Modifiers(IMethodSymbol method)
        => string.Join(" ", Declaration(method)?.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.ValueText) ?? Enumerable.Empty<string>());

    bool HasAccessibilityModifier(IMethodSymbol method)
        => Declaration(method)?.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword)
                                                   || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.InternalKeyword)) == true;

    MethodDeclarationSyntax? Declaration(IMethodSymbol method)
        => method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellation)).OfType<MethodDeclarationSyntax>().FirstOrDefault();

    /// <summary>The [Neural] methods that parsed, for a model rejected by other rules (see <see cref="RejectedModelSpec"/>).</summary>
    RejectedModelSpec? Rejected()
    {
        if (networks.Count == 0) return null;
        // Sizes do not matter here: only the signature is emitted.
        var signatures = networks.Select((n, i) => new NetworkSpec(n.Method.Name, i, n.Modifiers,
            n.Method.Parameters.Select(p => new NetworkParameterSpec(p.Name, SymbolNames.IsVec(p.Type) ? Shape.Vector(0) : Shape.Scalar)).ToEquatableArray(),
            n.Returns, n.TupleNames.ToEquatableArray(), 0, 0, n.Module));
        return new RejectedModelSpec(NamespaceName(), ContainingTypes(), type.Name, DeclarationCheck.HintName(type), signatures.ToEquatableArray());
    }
}
