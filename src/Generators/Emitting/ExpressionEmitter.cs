using System.Collections.Generic;
using System.Linq;
using NodeDsl.Generators.Model;

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
        => function == Fn.Step ? $"{Names.Runtime}.ScalarFunctions.Step({args})" : $"{Names.DslMath}.{function}({args})";
}
