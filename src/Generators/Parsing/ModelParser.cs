namespace NodeDsl.Generators.Parsing;

/// <summary>Turns one attributed model class into a <see cref="ModelSpec"/> plus diagnostics. Never throws (except cancellation).</summary>
internal static class ModelParser
{
    /// <summary>Test hook: runs before each parse on the current logical thread (lets tests exercise the internal-error path).</summary>
    internal static readonly AsyncLocal<Action<INamedTypeSymbol>?> BeforeParse = new();

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, bool hamiltonian, CancellationToken cancellation, bool lagrangian = false)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        try
        {
            BeforeParse.Value?.Invoke(type);
            if (!DeclarationCheck.IsTrusted(type, cancellation)) return ParseResult.Nothing;
            var mark = lagrangian ? SymbolNames.LagrangianModel : hamiltonian ? SymbolNames.HamiltonianModel : SymbolNames.OdeModel;
            if (DeclarationCheck.Duplicates(type, context.TargetNode, mark, cancellation) is { } duplicate)
                return duplicate;
            if (DeclarationCheck.DeclaresAMemberTwice(type)) return ParseResult.Nothing;
            return new Parser(context.SemanticModel, type, hamiltonian, cancellation, lagrangian).Run();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // the generator must never throw into the compiler
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var info = new DiagnosticInfo(DiagnosticDescriptors.InternalError.Id, LocationInfo.From(type.Locations.FirstOrDefault()),
                EquatableArray.Of(type.Name, ex.GetType().Name + ": " + ex.Message));
            return new ParseResult(null, null, EquatableArray.Of(info));
        }
    }
}

/// <summary>The parse of one model (fields, networks, rates, Hamiltonian, second-order and Lagrangian parts live in Parser.*.cs).</summary>
internal sealed partial class Parser(SemanticModel semantic, INamedTypeSymbol type, bool hamiltonian, CancellationToken cancellation, bool lagrangian = false)
{
    static readonly string[] RoleAttributes =
    {
        SymbolNames.State, SymbolNames.Augmented, SymbolNames.Constant, SymbolNames.Learnable, SymbolNames.Time,
        SymbolNames.Input, SymbolNames.Coordinate, SymbolNames.Momentum, SymbolNames.Velocity,
    };

    readonly DiagnosticBag diagnostics = new();

    readonly ModelMembers members = new();

    readonly List<StateField> states = new();

    readonly List<InputSpec> inputs = new();

    readonly List<LearnableSpec> learnables = new();

    readonly List<NeuralDeclaration> networks = new();

    string? timeField;

    public ParseResult Run()
    {
        var name = type.Name;
        var anchor = type.Locations.FirstOrDefault();
        if (!hamiltonian && HasAttribute(type, SymbolNames.HamiltonianModel) && !lagrangian) return ParseResult.Nothing;
        if (!lagrangian && HasAttribute(type, SymbolNames.LagrangianModel)) return ParseResult.Nothing; // reported by the Lagrangian parse
        CheckTypeDeclaration(anchor);
        if (diagnostics.HasErrors) return Fail();

        foreach (var member in type.GetMembers())
        {
            cancellation.ThrowIfCancellationRequested();
            if (member is IFieldSymbol field) ParseField(field);
            else if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && HasAttribute(method, SymbolNames.Neural)) ParseNeural(method);
            if (ReservedMembers.Contains(member.Name) && !member.IsImplicitlyDeclared)
                diagnostics.Add(DiagnosticDescriptors.NameClash, member.Locations.FirstOrDefault(), member.Name, "a member that NodeDsl generates or inherits from OdeModel");
            if (member is IMethodSymbol { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: false } ctor)
                diagnostics.Add(DiagnosticDescriptors.InvalidModelType, ctor.Locations.FirstOrDefault(), name,
                    $"it declares a constructor; the generator provides {name}(ModelOptions? options = null), remove yours");
        }
        if (states.Count == 0) diagnostics.Add(DiagnosticDescriptors.NoStates, anchor, name);
        if (hamiltonian) CheckPairs(anchor);
        ReadUnits();
        CheckVelocities(anchor);
        if (diagnostics.HasErrors) return Fail();

        // Parse (above) → translate the body → infer network shapes → validate against the states → equatable model.
        var layout = Layout();
        var secondOrder = IsSecondOrder;
        var ratesDeclaration = hamiltonian || lagrangian || secondOrder ? null : FindRates(layout, anchor);
        var accelerationsDeclaration = secondOrder ? FindAccelerations(anchor) : null;
        var energyDeclaration = hamiltonian ? FindEnergy(anchor) : lagrangian ? FindLagrangian(anchor) : null;
        var body = ratesDeclaration?.Body ?? accelerationsDeclaration?.Body ?? energyDeclaration?.Body;
        var translation = body is null
            ? new BodyTranslation(null, Array.Empty<NetworkUse>())
            : new ExpressionTranslator(semantic, type, members, diagnostics, cancellation).TranslateBody(body);
        var networkSpecs = NetworkShapes.Infer(networks, translation.Uses, diagnostics);
        if (diagnostics.HasErrors || translation.Value is null) return Fail();

        RatesSpec? rates = null;
        EnergySpec? energy = null;
        AccelerationsSpec? accelerations = null;
        LagrangianSpec? lagrangianSpec = null;
        Expr?[] rateExpressions;
        if (hamiltonian)
        {
            energy = CheckEnergy(energyDeclaration!, translation.Value);
            rateExpressions = energy is null ? new Expr?[layout.Count] : Hamiltonian(energy, layout);
        }
        else if (lagrangian)
        {
            lagrangianSpec = CheckEnergy(energyDeclaration!, translation.Value) is { } l ? EulerLagrange(l, layout) : null;
            rateExpressions = lagrangianSpec is null ? new Expr?[layout.Count] : Array.Empty<Expr?>();
        }
        else if (secondOrder)
        {
            (accelerations, rateExpressions) = MatchAccelerations(accelerationsDeclaration!, translation.Value, layout);
        }
        else
        {
            (rates, rateExpressions) = MatchRates(ratesDeclaration!, translation.Value, layout);
        }
        if (diagnostics.HasErrors || rateExpressions.Any(e => e is null)) return Fail();
        CheckUnits(translation, layout, rateExpressions, energy, anchor);
        if (diagnostics.HasErrors) return Fail();

        var spec = new ModelSpec(
            NamespaceName(), ContainingTypes(), name, DeclarationCheck.HintName(type), hamiltonian, layout.ToEquatableArray(),
            inputs.ToEquatableArray(), learnables.ToEquatableArray(), timeField, networkSpecs, rates, energy,
            rateExpressions.Select(e => e!).ToEquatableArray(), accelerations, lagrangianSpec);
        return new ParseResult(spec, null, diagnostics.ToEquatableArray(), LocationInfo.From(anchor));
    }

    ParseResult Fail() => new(null, Rejected(), diagnostics.ToEquatableArray());

    static bool HasAttribute(ISymbol symbol, string fullName)
        => symbol.GetAttributes().Any(a => SymbolNames.FullName(a.AttributeClass) == fullName);

    static AttributeData? GetAttribute(ISymbol symbol, string fullName)
        => symbol.GetAttributes().FirstOrDefault(a => SymbolNames.FullName(a.AttributeClass) == fullName);

    void CheckTypeDeclaration(Location? anchor)
    {
        var name = type.Name;
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            foreach (var reference in t.DeclaringSyntaxReferences)
                if (reference.GetSyntax(cancellation) is TypeDeclarationSyntax decl && !decl.Modifiers.Any(SyntaxKind.PartialKeyword))
                    diagnostics.Add(DiagnosticDescriptors.NotPartial, decl.Identifier, t.Name);
            if (t.IsGenericType)
                diagnostics.Add(DiagnosticDescriptors.InvalidModelType, t.Locations.FirstOrDefault(), name, $"'{t.Name}' is generic; models and the types containing them cannot be generic");
        }
        if (hamiltonian && HasAttribute(type, SymbolNames.OdeModel))
            diagnostics.Add(DiagnosticDescriptors.InvalidModelType, anchor, name, "it has both [OdeModel] and [HamiltonianModel]; keep one");
        if (lagrangian && (HasAttribute(type, SymbolNames.OdeModel) || HasAttribute(type, SymbolNames.HamiltonianModel)))
            diagnostics.Add(DiagnosticDescriptors.InvalidModelType, anchor, name, "it has [LagrangianModel] and another model attribute; keep one");
        if (type.TypeKind != TypeKind.Class || type.IsRecord)
            diagnostics.Add(DiagnosticDescriptors.InvalidModelType, anchor, name, "only a class can be a model (it becomes a TorchSharp module)");
        else if (type.IsStatic || type.IsAbstract)
            diagnostics.Add(DiagnosticDescriptors.InvalidModelType, anchor, name, "a model class cannot be static or abstract");
        else if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && DeclaresBaseType())
            diagnostics.Add(DiagnosticDescriptors.InvalidModelType, anchor, name,
                $"it derives from '{baseType.Name}'; the generator makes every model derive from NodeDsl.Runtime.OdeModel, remove the base class");
    }

    bool DeclaresBaseType()
        => type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellation)).OfType<TypeDeclarationSyntax>().Any(d => d.BaseList is not null
            && d.BaseList.Types.Any(t => semantic.Compilation.GetSemanticModel(t.SyntaxTree).GetTypeInfo(t.Type, cancellation).Type?.TypeKind == TypeKind.Class));

    string? NamespaceName() => type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();

    EquatableArray<TypeDeclSpec> ContainingTypes()
    {
        var list = new List<TypeDeclSpec>();
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            var keyword = t.IsRecord ? (t.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : t.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Interface => "interface", _ => "class" };
            list.Insert(0, new TypeDeclSpec(keyword, t.Name));
        }
        return list.ToEquatableArray();
    }
}
