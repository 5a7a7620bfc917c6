namespace NodeDsl.Generators.Parsing;

/// <summary>
/// Part of <see cref="Parser"/>: [Velocity] fields (second-order and Lagrangian models) and the [Accelerations] method of a
/// second-order model (Norcliffe et al. 2020, "On Second Order Behaviour in Augmented Neural ODEs", arXiv 2006.07220):
/// x'' = a(x, x', t) becomes the first-order system x' = v, v' = a.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>A [Velocity] field as declared: the name of its position and whether it is observed.</summary>
    sealed record VelocityField(IFieldSymbol Field, string Position, bool Latent);

    readonly List<VelocityField> velocities = new();

    /// <summary>An [OdeModel] with [Velocity] fields or an [Accelerations] method.</summary>
    bool IsSecondOrder => !hamiltonian && !lagrangian
        && (velocities.Count > 0 || type.GetMembers().OfType<IMethodSymbol>().Any(m => HasAttribute(m, SymbolNames.Accelerations)));

    static string PositionName(AttributeData data)
        => data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Value is string s ? s : "";

    // A Vec velocity has its position's size; 1 when the position is not a sized Vec (CheckVelocities then reports why).
    int VelocitySize(AttributeData data)
    {
        var position = type.GetMembers(PositionName(data)).OfType<IFieldSymbol>().FirstOrDefault();
        // The position is a [State] (second-order models) or a [Coordinate] (Lagrangian models).
        var state = position is null ? null : GetAttribute(position, SymbolNames.State) ?? GetAttribute(position, SymbolNames.Coordinate);
        return state is not null && SizeOf(state, SymbolNames.State) is > 0 and var size ? size : 1;
    }

    void AddVelocity(IFieldSymbol field, AttributeData data, Shape shape)
    {
        bool latent = data.NamedArguments.Any(a => a.Key == "Latent" && a.Value.Value is true);
        velocities.Add(new VelocityField(field, PositionName(data), latent));
        states.Add(new StateField(field, latent ? StateRole.LatentVelocity : StateRole.Velocity, shape));
        members.Fields[field.Name] = new MemberRef(MemberKind.State, field.Name, shape, null);
    }

    /// <summary>NODE040 for velocities that pair with no position; NODE041/NODE043 for positions without a velocity.</summary>
    void CheckVelocities(Location? anchor)
    {
        var positionRole = lagrangian ? StateRole.Coordinate : StateRole.State;
        var positionAttribute = lagrangian ? "[Coordinate]" : "[State]";
        var paired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in velocities)
        {
            var location = v.Field.Locations.FirstOrDefault();
            var position = states.FirstOrDefault(s => s.Field.Name == v.Position);
            var velocity = states.First(s => s.Field.Name == v.Field.Name);
            string? problem =
                position is null ? $"names '{v.Position}', which is not a field of the model: write [Velocity(nameof(x))] with x a {positionAttribute} field"
                : position.Role != positionRole ? $"names '{v.Position}', which is not a {positionAttribute} field: a velocity is the derivative of a position"
                : position.Shape != velocity.Shape ? $"has {velocity.Shape.Describe()} but its position '{v.Position}' has {position.Shape.Describe()}: declare both with the same type"
                : !paired.Add(v.Position) ? $"is a second velocity of '{v.Position}': each position has one velocity"
                : null;
            if (problem is not null) diagnostics.Add(DiagnosticDescriptors.InvalidVelocity, location, v.Field.Name, problem);
        }
        if (diagnostics.HasErrors) return;
        if (lagrangian)
        {
            foreach (var q in states.Where(s => s.Role == StateRole.Coordinate && !paired.Contains(s.Field.Name)))
                diagnostics.Add(DiagnosticDescriptors.LagrangianStructure, q.Field.Locations.FirstOrDefault(), type.Name,
                    $"coordinate '{q.Field.Name}' has no velocity: add '[Velocity(nameof({q.Field.Name}))] double {q.Field.Name}Dot;'");
            return;
        }
        if (!IsSecondOrder) return;
        foreach (var s in states.Where(s => s.Role is StateRole.State or StateRole.Augmented && !paired.Contains(s.Field.Name)))
            diagnostics.Add(DiagnosticDescriptors.SecondOrderStructure, s.Field.Locations.FirstOrDefault(), type.Name, s.Role == StateRole.Augmented
                ? $"'{s.Field.Name}' is [Augmented]; in a second-order model augment with a [State] position and its latent velocity ([Velocity(nameof({s.Field.Name}), Latent = true)])"
                : $"state '{s.Field.Name}' has no velocity: add '[Velocity(nameof({s.Field.Name}))] {TypeName(s.Shape)} {s.Field.Name}Dot;' (every state of a model with [Accelerations] is a position)");
        if (velocities.Count == 0)
            diagnostics.Add(DiagnosticDescriptors.SecondOrderStructure, anchor, type.Name,
                "it has an [Accelerations] method but no [Velocity] fields: pair each [State] position with '[Velocity(nameof(x))] double v;'");
    }

    /// <summary>
    /// Second-order and Lagrangian layout: positions (coordinates) in declaration order, then their observed velocities in
    /// the same order, then latent velocities — so y[:, :ObservedSize] is what a loss sees and the halves are contiguous.
    /// </summary>
    List<StateSpec> PairedLayout()
    {
        var positions = states.Where(s => s.Role is StateRole.State or StateRole.Coordinate).ToList();
        var ordered = positions.Select(p => (p.Field.Name, p.Shape, Role: lagrangian ? StateRole.Coordinate : StateRole.Position, Position: (string?)null))
            .Concat(Velocities(positions, latent: false))
            .Concat(Velocities(positions, latent: true));
        var result = new List<StateSpec>();
        int offset = 0;
        foreach (var (name, shape, role, position) in ordered)
        {
            result.Add(new StateSpec(name, offset, shape, role, position));
            offset += shape.Width;
        }
        return result;
    }

    IEnumerable<(string Name, Shape Shape, StateRole Role, string? Position)> Velocities(List<StateField> positions, bool latent)
        => positions.Select(p => velocities.First(v => v.Position == p.Field.Name))
            .Where(v => v.Latent == latent)
            .Select(v => (v.Field.Name, states.First(s => s.Field.Name == v.Field.Name).Shape, latent ? StateRole.LatentVelocity : StateRole.Velocity, (string?)v.Position));

    /// <summary>The [Accelerations] method, checked before its body is translated.</summary>
    sealed record AccelerationsDeclaration(IMethodSymbol Method, bool ReturnsTuple, IReadOnlyList<string> Positions, SyntaxNode Body);

    AccelerationsDeclaration? FindAccelerations(Location? anchor)
    {
        var rates = type.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m => HasAttribute(m, SymbolNames.Rates));
        if (rates is not null)
        {
            diagnostics.Add(DiagnosticDescriptors.SecondOrderStructure, rates.Locations.FirstOrDefault(), type.Name,
                $"'{rates.Name}' is a [Rates] method, but a model with [Velocity] fields takes its rates from x' = v and an [Accelerations] method: remove [Rates]");
            return null;
        }
        var positions = velocities.Select(v => v.Position).ToList();
        var method = FindMarkedMethod(anchor, SymbolNames.Accelerations, DiagnosticDescriptors.SecondOrderStructure,
            "it has [Velocity] fields but no [Accelerations] method: " + SuggestedAccelerations(positions), "it has more than one [Accelerations] method; keep one");
        if (method is null) return null;
        var location = method.Locations.FirstOrDefault();
        var returnLocation = ReturnTypeLocation(method) ?? location;
        bool returnsTuple = method.ReturnType is INamedTypeSymbol { IsTupleType: true };
        List<string> names;
        if (returnsTuple)
        {
            var elements = ((INamedTypeSymbol)method.ReturnType).TupleElements;
            names = elements.Select(e => e.IsExplicitlyNamedTupleElement ? e.Name : "").ToList();
            if (names.Count != positions.Count || names.Any(n => !positions.Contains(n)) || names.Distinct().Count() != names.Count)
            {
                diagnostics.Add(DiagnosticDescriptors.AccelerationsMismatch, returnLocation, method.Name,
                    $"return one acceleration per position, named after it: ({string.Join(", ", positions)})");
                return null;
            }
            for (int i = 0; i < elements.Length; i++)
            {
                var state = states.First(s => s.Field.Name == names[i]);
                if (!HasStateType(elements[i].Type, new StateSpec(state.Field.Name, 0, state.Shape, StateRole.Position)))
                {
                    diagnostics.Add(DiagnosticDescriptors.AccelerationsMismatch, returnLocation, method.Name,
                        $"the acceleration of '{names[i]}' must be a {TypeName(state.Shape)} like the position");
                    return null;
                }
            }
        }
        else
        {
            var first = states.First(s => s.Field.Name == positions[0]);
            if (positions.Count != 1 || !HasStateType(method.ReturnType, new StateSpec(first.Field.Name, 0, first.Shape, StateRole.Position)))
            {
                diagnostics.Add(DiagnosticDescriptors.AccelerationsMismatch, returnLocation, method.Name, positions.Count != 1
                    ? $"the model has {positions.Count} positions ({string.Join(", ", positions)}); return a tuple with one acceleration per position"
                    : $"the acceleration of '{positions[0]}' must be a {TypeName(first.Shape)} like the position");
                return null;
            }
            names = positions;
        }
        var body = Body(method);
        if (body is null)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidRatesSignature, location, method.Name, "has no body");
            return null;
        }
        return new AccelerationsDeclaration(method, returnsTuple, names, body);
    }

    static string SuggestedAccelerations(IReadOnlyList<string> positions)
        => positions.Count == 1
            ? $"add '[Accelerations] double Acc() => …;' returning the acceleration of '{positions[0]}'"
            : $"add '[Accelerations] ({string.Join(", ", positions.Select(p => "double " + p))}) Acc() => (…);' returning one acceleration per position";

    /// <summary>The rates of the first-order system: x' = v for each position, v' = the translated acceleration.</summary>
    (AccelerationsSpec?, Expr?[]) MatchAccelerations(AccelerationsDeclaration declaration, Value value, List<StateSpec> layout)
    {
        var empty = new Expr?[layout.Count];
        var location = declaration.Method.Locations.FirstOrDefault();
        var results = ReturnedValues(value);
        if (results.Count != declaration.Positions.Count)
        {
            diagnostics.Add(DiagnosticDescriptors.AccelerationsMismatch, location, declaration.Method.Name,
                $"the body returns {results.Count} value(s) for {declaration.Positions.Count} positions");
            return (null, empty);
        }
        var byState = new Expr?[layout.Count];
        var velocityNames = new List<string>();
        for (int i = 0; i < declaration.Positions.Count; i++)
        {
            var position = layout.First(s => s.Name == declaration.Positions[i]);
            var velocity = layout.First(s => s.Name == velocities.First(v => v.Position == position.Name).Field.Name);
            if (results[i].Shape != position.Shape)
            {
                diagnostics.Add(DiagnosticDescriptors.AccelerationsMismatch, location, declaration.Method.Name,
                    $"the acceleration of '{position.Name}' has {results[i].Shape.Describe()} but the position has {position.Shape.Describe()}");
                return (null, empty);
            }
            byState[layout.IndexOf(position)] = velocity.Leaf;    // x' = v
            byState[layout.IndexOf(velocity)] = results[i];       // v' = a(x, v, t)
            velocityNames.Add(velocity.Name);
        }
        return (new AccelerationsSpec(declaration.Method.Name, declaration.ReturnsTuple, declaration.Positions.ToEquatableArray(), velocityNames.ToEquatableArray()), byState);
    }
}
