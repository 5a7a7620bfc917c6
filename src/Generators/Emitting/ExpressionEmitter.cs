namespace NodeDsl.Generators.Emitting;

/// <summary>
/// What the scalar (C# on doubles) and the tensor (batched TorchSharp) expression emitters share: the model's lookups, the
/// C# operator of an IR operation, and the DSL function call on plain doubles.
/// </summary>
internal abstract class ExpressionEmitter(ModelSpec model)
{
    readonly Dictionary<string, int> learnables = model.Learnables.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);

    readonly Dictionary<string, NetworkCode> networks = model.Networks.ToDictionary(n => n.Name, NetworkCode.For);

    protected ModelSpec Model { get; } = model;

    /// <summary>Index of a [Learnable] in registration order (the generated <c>Learnable(k)</c>).</summary>
    protected int LearnableIndex(string name) => learnables[name];

    /// <summary>How to call the network of that name.</summary>
    protected NetworkCode Network(string name) => networks[name];

    /// <summary>
    /// C# for a literal or a model member, or null for other nodes. Constants are read from the model's fields; a
    /// learnable parameter is the registered tensor, which <see cref="ParameterCode"/> turns into the emitter's kind of value.
    /// </summary>
    protected string? LeafCode(Expr e) => e switch
    {
        Literal l => Literals.Double(l.Value),
        Ref { Kind: MemberKind.Constant } r => "this." + r.Name,
        Ref { Kind: MemberKind.Parameter } r => ParameterCode(Names.Learnable(LearnableIndex(r.Name))),
        Ref r => r.Name,
        _ => null,
    };

    /// <summary>The value of a learnable parameter given its tensor (a double for the scalar emitter, the tensor itself for the batched one).</summary>
    protected abstract string ParameterCode(string parameter);

    /// <summary>The C# operator of an arithmetic IR node.</summary>
    public static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        _ => "/",
    };

    /// <summary>A DSL function on plain doubles; <see cref="Fn.Step"/> (from derivatives only) is the runtime's.</summary>
    public static string ScalarCall(Fn function, string args)
        => function == Fn.Step ? $"{Names.ScalarFunctions}.Step({args})" : $"{Names.DslMath}.{function}({args})";
}
