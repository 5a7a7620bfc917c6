namespace NodeDsl.Generators.Parsing;

/// <summary>Part of <see cref="Parser"/>.</summary>
internal sealed partial class Parser
{
    void ParseField(IFieldSymbol field)
    {
        var roles = RoleAttributes.Select(r => (Name: r, Data: GetAttribute(field, r))).Where(r => r.Data is not null).ToList();
        if (roles.Count == 0) return;
        var location = field.Locations.FirstOrDefault();
        if (roles.Count > 1)
        {
            diagnostics.Add(DiagnosticDescriptors.FieldRoles, location, field.Name, string.Join(" and ", roles.Select(r => "[" + Short(r.Name) + "]")));
            return;
        }
        var (role, data) = (roles[0].Name, roles[0].Data!);
        bool isVec = SymbolNames.IsVec(field.Type);
        if (!isVec && !SymbolNames.IsDouble(field.Type))
        {
            diagnostics.Add(DiagnosticDescriptors.FieldType, location, field.Name, field.Type.ToDisplayString());
            return;
        }
        bool isConstantRole = role == SymbolNames.Constant;
        if (field.IsStatic && !(isConstantRole && field.IsConst))
        {
            diagnostics.Add(DiagnosticDescriptors.StaticField, location, field.Name);
            return;
        }
        if ((field.IsReadOnly || field.IsConst) && !isConstantRole)
        {
            diagnostics.Add(DiagnosticDescriptors.ReadOnlyField, location, field.Name, Short(role));
            return;
        }
        if (isVec && role is not (SymbolNames.State or SymbolNames.Augmented or SymbolNames.Input or SymbolNames.Coordinate or SymbolNames.Momentum or SymbolNames.Velocity))
        {
            diagnostics.Add(DiagnosticDescriptors.VecInScalarRole, location, field.Name, Short(role));
            return;
        }
        int size = isVec ? (role == SymbolNames.Velocity ? VelocitySize(data) : SizeOf(data, role)) : 1;
        if (isVec && size <= 0)
        {
            diagnostics.Add(DiagnosticDescriptors.VecWithoutSize, location, field.Name,
                role == SymbolNames.Augmented ? "[Augmented(3)]" : $"[{Short(role)}(Size = 2)]");
            return;
        }
        if (!isVec && role == SymbolNames.Augmented && SizeOf(data, role) != 1)
        {
            diagnostics.Add(DiagnosticDescriptors.AugmentedDoubleSize, location, field.Name, SizeOf(data, role).ToString(CultureInfo.InvariantCulture));
            return;
        }
        bool hamiltonianRole = role is SymbolNames.Coordinate or SymbolNames.Momentum;
        if (lagrangian && IsNotLagrangianRole(field, role)) return;
        if (hamiltonian && role is SymbolNames.State or SymbolNames.Augmented or SymbolNames.Velocity)
        {
            diagnostics.Add(DiagnosticDescriptors.HamiltonianStructure, location, type.Name,
                $"'{field.Name}' is a [{Short(role)}]; a Hamiltonian model's states are [Coordinate]/[Momentum] pairs");
            return;
        }
        if (!hamiltonian && !lagrangian && hamiltonianRole)
        {
            diagnostics.Add(DiagnosticDescriptors.HamiltonianRoleInOdeModel, location, field.Name, Short(role));
            return;
        }
        var shape = isVec ? Shape.Vector(size) : Shape.Scalar;
        switch (role)
        {
            case SymbolNames.State or SymbolNames.Augmented or SymbolNames.Coordinate or SymbolNames.Momentum:
                states.Add(new StateField(field, role switch
                {
                    SymbolNames.Augmented => StateRole.Augmented,
                    SymbolNames.Coordinate => StateRole.Coordinate,
                    SymbolNames.Momentum => StateRole.Momentum,
                    _ => StateRole.State,
                }, shape));
                members.Fields[field.Name] = new MemberRef(MemberKind.State, field.Name, shape, null);
                break;
            case SymbolNames.Velocity:
                AddVelocity(field, data, shape);
                break;
            case SymbolNames.Constant:
                double? constant = field.IsConst && field.ConstantValue is { } cv && cv is not string and not bool and not char
                    ? Convert.ToDouble(cv, CultureInfo.InvariantCulture) : null;
                members.Fields[field.Name] = new MemberRef(MemberKind.Constant, field.Name, Shape.Scalar, constant);
                break;
            case SymbolNames.Learnable:
                if (InitialValue(field) is not { } initial)
                {
                    diagnostics.Add(DiagnosticDescriptors.LearnableWithoutValue, location, field.Name);
                    return;
                }
                learnables.Add(new LearnableSpec(field.Name, initial));
                members.Fields[field.Name] = new MemberRef(MemberKind.Parameter, field.Name, Shape.Scalar, null);
                break;
            case SymbolNames.Time:
                if (timeField is not null)
                {
                    diagnostics.Add(DiagnosticDescriptors.NameClash, location, field.Name, $"the time field '{timeField}'; a model has one [Time] field");
                    return;
                }
                timeField = field.Name;
                members.Fields[field.Name] = new MemberRef(MemberKind.Time, field.Name, Shape.Scalar, null);
                break;
            case SymbolNames.Input:
                inputs.Add(new InputSpec(field.Name, inputs.Sum(i => i.Size), shape));
                members.Fields[field.Name] = new MemberRef(MemberKind.Input, field.Name, shape, null);
                break;
        }
    }

    static string Short(string attribute) => attribute.Substring("NodeDsl.".Length, attribute.Length - "NodeDsl.".Length - "Attribute".Length);

    static int SizeOf(AttributeData data, string role)
    {
        if (role == SymbolNames.Augmented)
            return data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Value is int n ? n : 1;
        foreach (var named in data.NamedArguments)
            if (named.Key == "Size" && named.Value.Value is int s) return s;
        return 0;
    }

    double? InitialValue(IFieldSymbol field)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellation) is not VariableDeclaratorSyntax { Initializer: { } initializer }) continue;
            var model = semantic.Compilation.GetSemanticModel(initializer.SyntaxTree);
            if (model.GetConstantValue(initializer.Value, cancellation) is { HasValue: true, Value: { } value } && value is not string and not bool and not char)
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        return null;
    }
}
