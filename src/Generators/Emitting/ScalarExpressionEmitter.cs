namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Emits IR as plain C# on doubles and <c>NodeDsl.Vec</c> (the scalar oracle of derived rates, e.g. Hamilton's
/// equations); networks are evaluated from their current weights. Shared sub-expressions are bound once.
/// </summary>
internal sealed class ScalarExpressionEmitter(SourceWriter writer, ModelSpec model) : ExpressionEmitter(model)
{
    readonly Dictionary<Expr, string> bound = new();
    int counter;

    public void Bind(Expr leaf, string name) => bound[leaf] = name;

    public string Emit(Expr e)
    {
        if (bound.TryGetValue(e, out var name)) return name;
        var code = Code(e);
        if (e is Literal or Ref) return code;
        name = "__s" + Literals.Int(counter++);
        writer.WriteLine($"var {name} = {code};");
        bound[e] = name;
        return name;
    }

    protected override string ParameterCode(string parameter) => $"ScalarValue({parameter})";

    string Code(Expr e)
    {
        if (LeafCode(e) is { } leaf) return leaf;
        switch (e)
        {
            case Negate n:
                return $"(-{Emit(n.Operand)})";
            case Binary b:
                return $"({Emit(b.Left)} {Symbol(b.Op)} {Emit(b.Right)})";
            case Call c:
                return ScalarCall(c.Function, string.Join(", ", c.Args.Select(Emit)));
            case Slice s:
                return s.Scalar
                    ? $"{Emit(s.Source)}[{Literals.Int(s.Start)}]"
                    : $"{Emit(s.Source)}[{Literals.Int(s.Start)}..{Literals.Int(s.Start + s.Length)}]";
            case Concat c:
                return $"{Names.Vec}.Concat({string.Join(", ", c.Parts.Select(p => "(object)" + Emit(p)))})";
            case NeuralCall call:
                return $"new {Names.Vec}({Network(call.Network).EvaluateScalar(Emit(call.Input) + ".ToArray()")})";
            case NeuralInputGradient g:
                return $"new {Names.Vec}({Network(g.Call.Network).InputGradientScalar(Emit(g.Call.Input) + ".ToArray()", g.Output)})";
            default:
                throw new System.InvalidOperationException("Unknown IR node " + e.GetType().Name);
        }
    }
}
