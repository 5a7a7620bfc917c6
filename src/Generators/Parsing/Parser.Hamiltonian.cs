using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Parsing;

/// <summary>Part of <see cref="Parser"/>.</summary>
internal sealed partial class Parser
{
    void CheckPairs(Location? anchor)
    {
        int q = states.Count(s => s.Role == StateRole.Coordinate), p = states.Count(s => s.Role == StateRole.Momentum);
        if (q != p)
            diagnostics.Add(DiagnosticDescriptors.HamiltonianStructure, anchor, type.Name,
                $"it has {q} [Coordinate] and {p} [Momentum] fields; declare one momentum per coordinate (the i-th momentum pairs with the i-th coordinate)");
        var coordinates = states.Where(s => s.Role == StateRole.Coordinate).ToList();
        var momenta = states.Where(s => s.Role == StateRole.Momentum).ToList();
        for (int i = 0; i < System.Math.Min(q, p); i++)
            if (coordinates[i].Shape != momenta[i].Shape)
                diagnostics.Add(DiagnosticDescriptors.PairSizeMismatch, momenta[i].Field.Locations.FirstOrDefault(), momenta[i].Field.Name,
                    momenta[i].Shape.Describe(), coordinates[i].Field.Name, coordinates[i].Shape.Describe(), Declaration(coordinates[i]));
    }

    // How to declare a momentum of the coordinate's shape, for the fix in NODE030.
    static string Declaration(StateField coordinate)
        => coordinate.Shape.IsVector
            ? $"[Momentum(Size = {coordinate.Shape.Width.ToString(CultureInfo.InvariantCulture)})] Vec"
            : "[Momentum] double";

    /// <summary>The [Energy] member, checked before its body is translated.</summary>
    sealed record EnergyDeclaration(ISymbol Member, bool IsMethod, SyntaxNode Body);

    EnergyDeclaration? FindEnergy(Location? anchor)
        => FindScalarMember(anchor, SymbolNames.Energy, DiagnosticDescriptors.MissingRates,
            $"has no [Energy] member: add '[Energy] double H => {KineticEnergy()} + …;' (kinetic plus potential energy)", "has more than one [Energy] member; keep one");

    /// <summary>The one double property or parameterless method marked <paramref name="attribute"/> ([Energy], [Lagrangian]) and its body.</summary>
    EnergyDeclaration? FindScalarMember(Location? anchor, string attribute, DiagnosticDescriptor missingOrDuplicate, string missing, string duplicate)
    {
        var candidates = type.GetMembers().Where(m => m is IPropertySymbol or IMethodSymbol { MethodKind: MethodKind.Ordinary } && HasAttribute(m, attribute)).ToList();
        if (candidates.Count != 1)
        {
            diagnostics.Add(missingOrDuplicate, candidates.Count == 0 ? anchor : candidates[1].Locations.FirstOrDefault(), type.Name,
                candidates.Count == 0 ? missing : duplicate);
            return null;
        }
        var member = candidates[0];
        var location = member.Locations.FirstOrDefault();
        SyntaxNode? body = null;
        bool isMethod = member is IMethodSymbol;
        if (member is IPropertySymbol property)
        {
            if (!SymbolNames.IsDouble(property.Type) || property.IsStatic || property.IsIndexer)
            {
                diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, member.Name, "must be a double instance property or parameterless method");
                return null;
            }
            if (property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) is PropertyDeclarationSyntax decl)
                body = (SyntaxNode?)decl.ExpressionBody
                       ?? decl.AccessorList?.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) switch
                       {
                           { Body: { } b } => b,
                           { ExpressionBody: { } e } => e,
                           _ => null,
                       };
        }
        else if (member is IMethodSymbol method)
        {
            if (!SymbolNames.IsDouble(method.ReturnType) || method.Parameters.Length != 0 || method.IsStatic || method.IsGenericMethod)
            {
                diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, member.Name, "must be a double instance property or parameterless method");
                return null;
            }
            body = Body(method);
        }
        if (body is null)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, member.Name, "needs a getter with a body ('=> …')");
            return null;
        }
        return new EnergyDeclaration(member, isMethod, body);
    }

    /// <summary>The translated energy, which must be one double.</summary>
    EnergySpec? CheckEnergy(EnergyDeclaration energy, Value value)
    {
        if (value is not ExprValue { Expr: { IsVector: false } h })
        {
            diagnostics.Add(DiagnosticDescriptors.SizeMismatch, energy.Member.Locations.FirstOrDefault(), "the energy must be one double, not a vector or tuple");
            return null;
        }
        return new EnergySpec(energy.Member.Name, energy.IsMethod, h);
    }

    // A kinetic-energy term with the model's own momenta, for the suggested [Energy] member.
    string KineticEnergy()
    {
        var momenta = states.Where(s => s.Role == StateRole.Momentum).Select(s => $"{s.Field.Name} * {s.Field.Name} / 2").ToList();
        return momenta.Count == 0 ? "p * p / 2" : string.Join(" + ", momenta);
    }

    Expr?[] Hamiltonian(EnergySpec energy, List<StateSpec> layout)
    {
        var coordinates = layout.Where(s => s.Role == StateRole.Coordinate).ToList();
        var momenta = layout.Where(s => s.Role == StateRole.Momentum).ToList();
        var result = new Expr?[layout.Count];
        var location = type.GetMembers(energy.MemberName).FirstOrDefault()?.Locations.FirstOrDefault();
        bool vectorPairs = layout.Any(s => s.IsVector);
        for (int i = 0; i < coordinates.Count; i++)
        {
            // Hamilton's equations: q' = ∂H/∂p, p' = −∂H/∂q. With Vec pairs the energy is a vector expression, whose
            // gradients reverse mode takes whole (one vector per state); all-scalar models keep forward mode.
            var q = coordinates[i].Leaf;
            var p = momenta[i].Leaf;
            string whyP, whyQ;
            var dHdp = vectorPairs ? Gradient.Of(energy.Energy, p, out whyP) : Derivative.Of(energy.Energy, p, out whyP);
            var dHdq = vectorPairs ? Gradient.Of(energy.Energy, q, out whyQ) : Derivative.Of(energy.Energy, q, out whyQ);
            if (dHdp is null) diagnostics.Add(DiagnosticDescriptors.NotDifferentiable, location, p.Name, whyP);
            if (dHdq is null) diagnostics.Add(DiagnosticDescriptors.NotDifferentiable, location, q.Name, whyQ);
            result[layout.IndexOf(coordinates[i])] = dHdp;
            result[layout.IndexOf(momenta[i])] = dHdq is null ? null : Build.Negate(dHdq);
        }
        return result;
    }
}
