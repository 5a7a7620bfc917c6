using System.Collections.Generic;
using System.Linq;
using NodeDsl.Generators.Model;

namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Emits IR as plain C# on doubles and <c>NodeDsl.Vec</c> (the scalar oracle of derived rates, e.g. Hamilton's
/// equations); networks are evaluated from their current weights. Shared sub-expressions are bound once.
/// </summary>
internal sealed class ScalarExpressionEmitter(SourceWriter writer, ModelSpec model)
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

    string Code(Expr e)
    {
        switch (e)
        {
            case Literal l:
                return Literals.Double(l.Value);
            case Ref { Kind: MemberKind.Constant } r:
                return "this." + r.Name;
            case Ref { Kind: MemberKind.Parameter } r:
                return $"ScalarValue({Names.Learnable(LearnableIndex(r.Name))})";
            case Ref r:
                return r.Name;
            case Negate n:
                return $"(-{Emit(n.Operand)})";
            case Binary b:
                return $"({Emit(b.Left)} {Symbol(b.Op)} {Emit(b.Right)})";
            case Call c:
                var args = string.Join(", ", c.Args.Select(Emit));
                return c.Function == Fn.Step ? $"{Names.Runtime}.ScalarFunctions.Step({args})" : $"{Names.DslMath}.{c.Function}({args})";
            case Slice s:
                return s.Scalar
                    ? $"{Emit(s.Source)}[{Literals.Int(s.Start)}]"
                    : $"{Emit(s.Source)}[{Literals.Int(s.Start)}..{Literals.Int(s.Start + s.Length)}]";
            case Concat c:
                return $"{Names.Vec}.Concat({string.Join(", ", c.Parts.Select(p => "(object)" + Emit(p)))})";
            case NeuralCall call:
            {
                var network = Network(call.Network);
                var row = Emit(call.Input) + ".ToArray()";
                return network.IsCustom
                    ? $"new {Names.Vec}({Names.Runtime}.ModuleOps.EvaluateScalar(this.{Names.NetworkField(network.Name)}, {row}, this.DType, this.Device))"
                    : $"new {Names.Vec}(this.{Names.NetworkField(network.Name)}.EvaluateScalar({row}))";
            }
            case NeuralInputGradient g:
            {
                var network = Network(g.Call.Network);
                var row = Emit(g.Call.Input) + ".ToArray()";
                return network.IsCustom
                    ? $"new {Names.Vec}({Names.Runtime}.ModuleOps.InputGradientScalar(this.{Names.NetworkField(network.Name)}, {row}, {Literals.Int(g.Output)}, {Literals.Int(network.OutputSize)}, this.DType, this.Device))"
                    : $"new {Names.Vec}(this.{Names.NetworkField(network.Name)}.InputGradientScalar({row}, {Literals.Int(g.Output)}))";
            }
            default:
                throw new System.InvalidOperationException("Unknown IR node " + e.GetType().Name);
        }
    }

    int LearnableIndex(string name) => model.Learnables.Select((p, i) => (p, i)).First(x => x.p.Name == name).i;

    NetworkSpec Network(string name) => model.Networks.First(n => n.Name == name);

    static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        _ => "/",
    };
}
