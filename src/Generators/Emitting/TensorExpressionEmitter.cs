namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Emits IR as batched TorchSharp code: scalars are <c>[batch, 1]</c> tensors (or 0-d for parameters, or plain
/// doubles for constants), vectors <c>[batch, k]</c>. Every tensor sub-expression is computed once and bound to a
/// local: equal sub-expressions (e.g. one network call used twice) share it by value equality of the IR.
/// </summary>
/// <remarks>
/// With <c>recordTapes</c> (the forward half of a generated VJP), network terms are recorded as tapes
/// (<c>NodeDsl.Runtime.NetworkTape</c>) whose backward the reverse pass calls, and <see cref="Order"/> lists the bound
/// tensor nodes children-first, i.e. a topological order of the expression DAG.
/// </remarks>
internal sealed class TensorExpressionEmitter(SourceWriter writer, ModelSpec model, string batch, bool recordTapes = false) : ExpressionEmitter(model)
{
    readonly Dictionary<Expr, string> bound = new();
    readonly Dictionary<Expr, string> tapes = new();
    readonly List<Expr> order = new();
    int counter;

    /// <summary>Tensor nodes in the order they were bound (every node after its operands).</summary>
    public IReadOnlyList<Expr> Order => order;

    /// <summary>The tape local of a network node (only with <c>recordTapes</c>).</summary>
    public string Tape(Expr networkNode) => tapes[networkNode];

    /// <summary>True when a tensor expression has one row per trajectory (<c>[batch, width]</c>); false for 0-d tensors of parameters only.</summary>
    public static bool IsBatched(Expr e) => e switch
    {
        Literal => false,
        Ref r => r.Kind is MemberKind.State or MemberKind.Input or MemberKind.Time,
        Negate n => IsBatched(n.Operand),
        Binary b => IsBatched(b.Left) || IsBatched(b.Right),
        Call c => c.Args.Any(IsBatched),
        _ => true,
    };

    /// <summary>Binds the name of a leaf (state, input, time) emitted by the caller.</summary>
    public void Bind(Expr leaf, string name) => bound[leaf] = name;

    /// <summary>True when the expression is a tensor, false when it is a plain double.</summary>
    public static bool IsTensor(Expr e) => e switch
    {
        Literal => false,
        Ref r => r.Kind != MemberKind.Constant,
        Negate n => IsTensor(n.Operand),
        Binary b => IsTensor(b.Left) || IsTensor(b.Right),
        Call c => c.Args.Any(IsTensor),
        Slice s => IsTensor(s.Source),
        _ => true,
    };

    /// <summary>The expression as <c>[batch, width]</c>.</summary>
    public string EmitColumns(Expr e)
    {
        var code = Emit(e);
        return IsTensor(e)
            ? $"Columns({code}, {batch}, {Literals.Int(e.Width)})"
            : $"ConstantColumns({code}, {batch}, {Literals.Int(e.Width)})";
    }

    /// <summary>
    /// C# code for <paramref name="columns"/> side by side, <c>[batch, Σ width]</c> (rates, energies, the VJP's <c>f</c>).
    /// One freshly computed column block is returned as it is: a one-element <c>cat</c> would only copy it, one more op and
    /// autograd node per evaluation. Anything else goes through <c>cat</c>, which also copies views (of <c>y</c>, time,
    /// inputs) and expanded parameters, so the result never aliases the caller's state or the model's parameters.
    /// </summary>
    public string EmitSideBySide(IReadOnlyList<Expr> columns)
    {
        var parts = columns.Select(EmitColumns).ToList();
        return columns.Count == 1 && IsFresh(columns[0])
            ? parts[0]
            : $"{Names.Torch}.cat(new {Names.Tensor}[] {{ {string.Join(", ", parts)} }}, 1)";
    }

    // True when the code of a batched expression makes a new [batch, width] tensor (an op result), not a view of a leaf.
    // Built-in perceptrons end in an affine layer; a custom module may return its input or a view of it.
    bool IsFresh(Expr e) => IsBatched(e) && e switch
    {
        Negate or Binary or Call => true,
        NeuralCall call => Network(call.Network) is { Network.Module: PerceptronModule },
        Concat c => c.Parts.Count == 1 ? IsFresh(c.Parts[0]) : ContiguousStates(c) is null,
        _ => false,
    };

    /// <summary>C# code for the value of <paramref name="e"/> (a local name, or inline code for doubles).</summary>
    public string Emit(Expr e)
    {
        if (bound.TryGetValue(e, out var name)) return name;
        string code;
        if (recordTapes && e is NeuralCall or NeuralInputGradient)
        {
            var tape = "__tape" + Literals.Int(counter++);
            writer.WriteLine($"var {tape} = {TapeCode(e)};");
            tapes[e] = tape;
            code = tape + ".Output";
        }
        else
        {
            code = Code(e);
        }
        if (!IsTensor(e) || e is Ref) return code;
        name = "__v" + Literals.Int(counter++);
        writer.WriteLine($"var {name} = {code};");
        bound[e] = name;
        order.Add(e);
        return name;
    }

    protected override string ParameterCode(string parameter) => parameter;

    string Code(Expr e)
    {
        if (LeafCode(e) is { } leaf) return leaf;
        switch (e)
        {
            case Negate n:
                return IsTensor(n.Operand) ? $"{Emit(n.Operand)}.neg()" : $"(-{Emit(n.Operand)})";
            case Binary b:
                return BinaryCode(b);
            case Call c:
                return CallCode(c);
            case Slice s:
                return $"{Emit(s.Source)}.narrow(1, {Literals.Int(s.Start)}, {Literals.Int(s.Length)})";
            case Concat c when ContiguousStates(c) is { } block:
                // States side by side in y order are already one view of y: no copy.
                return StateColumns(Model, block.Start, block.Length);
            case Concat c:
                return c.Parts.Count == 1 ? EmitColumns(c.Parts[0])
                    : $"{Names.Torch}.cat(new {Names.Tensor}[] {{ {string.Join(", ", c.Parts.Select(EmitColumns))} }}, 1)";
            case NeuralCall call:
                return Network(call.Network).Forward(Emit(call.Input));
            case NeuralInputGradient g:
                return Network(g.Call.Network).InputGradient(Emit(g.Call.Input), g.Output);
            default:
                throw new System.InvalidOperationException("Unknown IR node " + e.GetType().Name);
        }
    }

    string TapeCode(Expr e) => e switch
    {
        NeuralCall call => Network(call.Network).Record(Emit(call.Input)),
        NeuralInputGradient g => Network(g.Call.Network).RecordInputGradient(Emit(g.Call.Input), g.Output),
        _ => throw new System.InvalidOperationException("No tape for IR node " + e.GetType().Name),
    };

    /// <summary>
    /// Columns <c>start .. start + length</c> of <c>__y</c>: <c>__y</c> itself when they are the whole state (a
    /// <c>narrow</c> would add an op and an autograd node per evaluation for nothing).
    /// </summary>
    public static string StateColumns(ModelSpec model, int start, int length)
        => start == 0 && length == model.States.Sum(s => s.Size) ? "__y" : $"__y.narrow(1, {Literals.Int(start)}, {Literals.Int(length)})";

    (int Start, int Length)? ContiguousStates(Concat c)
    {
        int start = -1, next = -1;
        foreach (var part in c.Parts)
        {
            if (part is not Ref { Kind: MemberKind.State } r) return null;
            var state = Model.State(r.Name);
            if (start < 0) start = state.Offset;
            else if (state.Offset != next) return null;
            next = state.Offset + state.Size;
        }
        return start < 0 ? null : (start, next - start);
    }

    string BinaryCode(Binary b)
    {
        bool lt = IsTensor(b.Left), rt = IsTensor(b.Right);
        var l = Emit(b.Left);
        var r = Emit(b.Right);
        if (!lt && !rt)
            return $"({l} {Symbol(b.Op)} {r})";
        // A plain double operand goes through ScalarOps, which keeps the TorchSharp Scalar alive across the native
        // call (an implicit double → Scalar temporary can be finalized by a concurrent GC mid-op; see
        // docs/notes/torchsharp-scalar-gc-race.md).
        var ops = Names.ScalarOps;
        if (lt && rt)
            return b.Op switch
            {
                // alpha = ScalarOps.One: TorchSharp's add(Tensor) converts 1 to a temporary Scalar per call (same race).
                BinaryOp.Add => $"{l}.add({r}, {ops}.One)",
                BinaryOp.Subtract => $"{l}.sub({r})",
                BinaryOp.Multiply => $"{l}.mul({r})",
                _ => $"{l}.div({r})",
            };
        if (lt)
            return b.Op switch
            {
                BinaryOp.Add => $"{ops}.Add({l}, {r})",
                BinaryOp.Subtract => $"{ops}.Sub({l}, {r})",
                BinaryOp.Multiply => $"{ops}.Mul({l}, {r})",
                _ => $"{ops}.Div({l}, {r})",
            };
        // double ∘ tensor: addition and multiplication commute exactly in IEEE arithmetic; c − x = (−x) + c exactly.
        return b.Op switch
        {
            BinaryOp.Add => $"{ops}.Add({r}, {l})",
            BinaryOp.Subtract => $"{ops}.RSub({l}, {r})",
            BinaryOp.Multiply => $"{ops}.Mul({r}, {l})",
            _ => $"{ops}.RDiv({l}, {r})",
        };
    }

    string CallCode(Call c)
    {
        if (!IsTensor(c)) return ScalarCall(c.Function, string.Join(", ", c.Args.Select(Emit)));
        var a = Emit(c.Args[0]);
        switch (c.Function)
        {
            case Fn.Pow:
                var b = Emit(c.Args[1]);
                return IsTensor(c.Args[0]) && IsTensor(c.Args[1])
                    ? $"{a}.pow({b})"
                    : $"{Names.ScalarOps}.Pow({a}, {b})";
            case Fn.Sum: return $"{a}.sum(1, true)";
            // TorchSharp's square() is pow(2) with a temporary Scalar 2 (docs/notes/torchsharp-scalar-gc-race.md).
            case Fn.Square: return $"{Names.ScalarOps}.Square({a})";
            case Fn.Softplus: return $"{Names.Torch}.nn.functional.softplus({a})";
            case Fn.Step: return $"{Names.ScalarOps}.Gt({a}, 0.0).to_type({a}.dtype)";
            default: return $"{a}.{c.Function.ToString().ToLowerInvariant()}()";
        }
    }
}
