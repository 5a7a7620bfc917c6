namespace NodeDsl.Generators.Parsing;

/// <summary>Matches the arguments of a call to a [Neural] method with its parameters, and says what does not match (NODE008).</summary>
internal sealed class NeuralArgumentCheck(SemanticModel semantic, CancellationToken cancellation)
{
    /// <summary>"Net(double a, Vec h)".</summary>
    public static string Signature(IMethodSymbol method)
        => $"{method.Name}({string.Join(", ", method.Parameters.Select(p => TypeName(p.Type) + " " + p.Name))})";

    /// <summary>The arguments in parameter order, or null when they do not map one to one onto the parameters.</summary>
    public ArgumentSyntax[]? InDeclarationOrder(ArgumentListSyntax list, IMethodSymbol method)
    {
        var (byParameter, problem) = Map(list, method);
        return problem is null ? byParameter.Select(a => a!).ToArray() : null;
    }

    /// <summary>The first thing that does not match, phrased to follow "but " in the NODE008 message, with the fix.</summary>
    public string Mismatch(ArgumentListSyntax list, IMethodSymbol method)
    {
        var (byParameter, problem) = Map(list, method);
        if (problem is not null) return problem;
        for (int i = 0; i < byParameter.Length; i++)
        {
            var argument = byParameter[i]!.Expression;
            var type = semantic.GetTypeInfo(argument, cancellation).Type;
            var parameter = method.Parameters[i];
            if (type is null || type.TypeKind == TypeKind.Error)
                return $"the type of '{argument}' is unknown; fix that argument first";
            if (!semantic.Compilation.ClassifyConversion(type, parameter.Type).IsImplicit)
                return TypeMismatch(argument.ToString(), TypeName(type), parameter);
        }
        return "C# cannot bind the call; see the compiler's error on it";
    }

    public static string TypeMismatch(string argument, string argumentType, IParameterSymbol parameter)
    {
        var wanted = TypeName(parameter.Type);
        var fix = wanted == "Vec"
            ? $"pass a Vec (e.g. Vec.Of({argument})), or declare '{parameter.Name}' as {argumentType}"
            : argumentType == "Vec"
                ? $"pass a double (e.g. {argument}[0] or Sum({argument})), or declare '{parameter.Name}' as Vec"
                : $"pass a {wanted}";
        return $"'{argument}' is a {argumentType} and parameter '{parameter.Name}' is a {wanted}; {fix}";
    }

    (ArgumentSyntax?[] ByParameter, string? Problem) Map(ArgumentListSyntax list, IMethodSymbol method)
    {
        var parameters = method.Parameters;
        var byParameter = new ArgumentSyntax?[parameters.Length];
        var names = string.Join(", ", parameters.Select(p => p.Name));
        int position = 0;
        foreach (var argument in list.Arguments)
        {
            if (!argument.RefKindKeyword.IsKind(SyntaxKind.None))
                return (byParameter, $"'{argument.Expression}' is passed with '{argument.RefKindKeyword.ValueText}'; pass it by value");
            int index;
            if (argument.NameColon is { } nameColon)
            {
                var name = nameColon.Name.Identifier.ValueText;
                index = Enumerable.Range(0, parameters.Length).Where(i => parameters[i].Name == name).DefaultIfEmpty(-1).First();
                if (index < 0)
                    return (byParameter, $"the call names '{name}', which is not a parameter; use a parameter's name ({names}) or pass the argument by position");
            }
            else
            {
                index = position;
                if (index >= parameters.Length) return (byParameter, CountProblem(list.Arguments.Count, parameters.Length));
            }
            if (byParameter[index] is not null)
                return (byParameter, $"parameter '{parameters[index].Name}' is given twice; pass each parameter once");
            byParameter[index] = argument;
            position++;
        }
        if (byParameter.Any(a => a is null))
        {
            var missing = parameters.Where((p, i) => byParameter[i] is null).Select(p => "'" + p.Name + "'");
            return (byParameter, list.Arguments.Count < parameters.Length
                ? CountProblem(list.Arguments.Count, parameters.Length)
                : $"nothing is passed for {string.Join(", ", missing)}; pass one argument per parameter");
        }
        return (byParameter, null);
    }

    static string CountProblem(int arguments, int parameters)
        => $"the call passes {Count(arguments, "argument")} for {Count(parameters, "parameter")}; pass one argument per parameter";

    static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    static string TypeName(ITypeSymbol type)
        => SymbolNames.IsVec(type) ? "Vec" : SymbolNames.IsDouble(type) ? "double" : type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
