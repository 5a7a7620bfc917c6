namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Emits the analytic vector–Jacobian product <c>(t, y, a) → (f, aᵀ∂f/∂y, aᵀ∂f/∂θ, aᵀ∂f/∂t)</c> of a model
/// (NodeDsl.Runtime.IRatesVjp): the rates' forward pass, then reverse-mode differentiation over the same expression
/// DAG (Griewank &amp; Walther, "Evaluating Derivatives", ch. 3), visiting each common sub-expression once in reverse
/// topological order and accumulating its adjoint from all of its uses. Physics terms get their local derivative
/// rules here at compile time; networks contribute through tapes (the perceptron's layer backward, or autograd for
/// custom modules and for the network input gradients inside Hamiltonian rates).
/// </summary>
/// <remarks>
/// Adjoints have the shape of the value they belong to: <c>[batch, width]</c> for batched nodes, 0-d for expressions of
/// learnable parameters only; plain doubles (constants) get none. A contribution is reduced to its operand's shape
/// where the forward pass broadcast it (sum over columns for a scalar in a vector expression, over everything for a
/// parameter).
/// </remarks>
internal sealed class VjpEmitter
{
    readonly SourceWriter w;
    readonly ModelSpec model;
    readonly TensorExpressionEmitter forward;
    readonly Dictionary<Expr, string> adjoint = new();
    readonly Dictionary<Expr, List<(int Start, int Length, string Code)>> pendingSlices = new();
    readonly Dictionary<string, string> networkSlots = new();
    int counter;

    VjpEmitter(SourceWriter w, ModelSpec model, TensorExpressionEmitter forward)
    {
        this.w = w;
        this.model = model;
        this.forward = forward;
    }

    /// <summary>
    /// The VJP's θ list and the opening of its <c>Vjp</c> method, up to the cotangent check; the caller writes the body
    /// and closes the block.
    /// </summary>
    public static void OpenVjp(SourceWriter w, string summary)
    {
        w.Member("θ of the VJP: <c>parameters()</c> in registration order, then <c>Inputs</c> when it requires grad.",
            $"global::System.Collections.Generic.IReadOnlyList<{Names.Tensor}> {Names.IRatesVjp}.Parameters => VjpParameters();");
        w.WriteLine($"/// <summary>{summary}</summary>");
        w.WriteLine(Names.GeneratedCode);
        w.OpenBlock($"public {Names.RatesVjpResult} Vjp({Names.Tensor} __t, {Names.Tensor} __y, {Names.Tensor} __a, bool __withTime = false)");
        w.WriteLine("CheckCotangent(__a, __y);");
    }

    public static void Emit(SourceWriter w, ModelSpec m)
    {
        OpenVjp(w, "Analytic batched vector–Jacobian product of <see cref=\"Rates\"/> (reverse mode over the rate expressions; see docs/dsl.md).");
        w.WriteLine($"using var __scope = {Names.Torch}.NewDisposeScope();");
        w.WriteLine($"using var __noGrad = {Names.Torch}.no_grad();");
        var forward = ModelEmitter.OpenTensorBody(w, m, m.RateExpressions, recordTapes: true);
        w.WriteLine($"var __f = {forward.EmitSideBySide(m.RateExpressions)};");
        new VjpEmitter(w, m, forward).Reverse();
        w.CloseBlock();
        w.WriteLine();
    }

    void Reverse()
    {
        foreach (var n in model.Networks)
        {
            var slots = "__pn_" + n.Name;
            networkSlots[n.Name] = slots;
            w.WriteLine($"var {slots} = {NetworkCode.For(n).Slots};");
        }
        // Seeds: the cotangent columns of each rate.
        int offset = 0;
        foreach (var root in model.RateExpressions)
        {
            if (TensorExpressionEmitter.IsTensor(root))
                Contribute(root, Reduce($"__a.narrow(1, {Literals.Int(offset)}, {Literals.Int(root.Width)})", true, root.Width, root));
            offset += root.Width;
        }
        for (int i = forward.Order.Count - 1; i >= 0; i--)
        {
            var node = forward.Order[i];
            var g = Adjoint(node);
            if (g is not null) Propagate(node, g);
        }
        Finish();
    }

    void Finish()
    {
        var stateParts = model.States.Select(s => Adjoint(s.Leaf)
                                                 ?? $"ZeroColumns(__batch, {Literals.Int(s.Size)})").ToList();
        var vjpY = stateParts.Count == 1 ? stateParts[0] : Cat(stateParts);
        var learnables = model.Learnables.Select(p => Adjoint(p.Leaf) ?? "null").ToList();
        var networks = model.Networks.Select(n => networkSlots[n.Name]).ToList();
        string inputs = "null";
        var inputAdjoints = model.Inputs.Select(i => Adjoint(i.Leaf)).ToList();
        if (inputAdjoints.Any(a => a is not null))
            inputs = Cat(model.Inputs.Select((i, k) => inputAdjoints[k] ?? $"ZeroColumns(__batch, {Literals.Int(i.Size)})").ToList());
        var time = model.TimeField is { } t ? Adjoint(Ref.Time(t)) : null;
        var networkArray = networks.Count == 0
            ? $"global::System.Array.Empty<{Names.Tensor}?[]>()"
            : $"new {Names.Tensor}?[][] {{ {string.Join(", ", networks)} }}";
        w.WriteLine($"return VjpResult(__f, {vjpY}, new {Names.Tensor}?[] {{ {string.Join(", ", learnables)} }}, {networkArray}, " +
                    $"{inputs}, {(time is null ? "null" : "__withTime ? " + time + " : null")}, __t);");
    }

    static string Cat(IReadOnlyList<string> parts)
        => $"{Names.Torch}.cat(new {Names.Tensor}[] {{ {string.Join(", ", parts)} }}, 1)";

    // The finished adjoint of a node (slice contributions assembled first), or null when nothing reaches it.
    string? Adjoint(Expr e)
    {
        if (pendingSlices.TryGetValue(e, out var slices))
        {
            pendingSlices.Remove(e);
            Contribute(e, AssembleSlices(e, slices));
        }
        return adjoint.TryGetValue(e, out var name) ? name : null;
    }

    // Disjoint slices (e.g. u.a and u.b of one network output) become one cat with zero gaps; overlapping ones are padded and added.
    string AssembleSlices(Expr source, List<(int Start, int Length, string Code)> slices)
    {
        var sorted = slices.OrderBy(s => s.Start).ToList();
        bool disjoint = true;
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Start < sorted[i - 1].Start + sorted[i - 1].Length) disjoint = false;
        int width = source.Width;
        if (disjoint)
        {
            var parts = new List<string>();
            int next = 0;
            foreach (var s in sorted)
            {
                if (s.Start > next) parts.Add($"ZeroColumns(__batch, {Literals.Int(s.Start - next)})");
                parts.Add(s.Code);
                next = s.Start + s.Length;
            }
            if (next < width) parts.Add($"ZeroColumns(__batch, {Literals.Int(width - next)})");
            return parts.Count == 1 ? parts[0] : Cat(parts);
        }
        var padded = sorted.Select(s => s.Start == 0 && s.Length == width ? s.Code
            : $"{Names.Torch}.nn.functional.pad({s.Code}, new long[] {{ {Literals.Int(s.Start)}, {Literals.Int(width - s.Start - s.Length)} }})").ToList();
        // alpha = ScalarOps.One: TorchSharp's add(Tensor) converts 1 to a temporary Scalar per call (GC race).
        return string.Join(".add(", padded) + string.Concat(Enumerable.Repeat($", {Names.ScalarOps}.One)", padded.Count - 1));
    }

    void Contribute(Expr target, string code)
    {
        if (!TensorExpressionEmitter.IsTensor(target)) return;
        if (adjoint.TryGetValue(target, out var name))
        {
            w.WriteLine($"{name} = {name}.add({code}, {Names.ScalarOps}.One);");
            return;
        }
        name = "__g" + Literals.Int(counter++);
        w.WriteLine($"var {name} = {code};");
        adjoint[target] = name;
    }

    void ContributeSlice(Expr source, int start, int length, string code)
    {
        if (!pendingSlices.TryGetValue(source, out var list)) pendingSlices[source] = list = new();
        list.Add((start, length, code));
    }

    // A contribution shaped like a node of (batched, width) reduced to the shape of operand `to`.
    static string Reduce(string code, bool batched, int width, Expr to)
    {
        if (!TensorExpressionEmitter.IsBatched(to)) return batched ? code + ".sum()" : code;
        return to.Width == 1 && width > 1 ? code + ".sum(1, true)" : code;
    }

    string ReduceTo(string code, Expr from, Expr to) => Reduce(code, TensorExpressionEmitter.IsBatched(from), from.Width, to);

    static bool IsTensor(Expr e) => TensorExpressionEmitter.IsTensor(e);

    void Propagate(Expr node, string g)
    {
        switch (node)
        {
            case Negate n:
                Contribute(n.Operand, ReduceTo(g + ".neg()", node, n.Operand));
                break;
            case Binary b:
                PropagateBinary(b, g);
                break;
            case Call c:
                PropagateCall(c, g);
                break;
            case Slice s:
                ContributeSlice(s.Source, s.Start, s.Scalar ? 1 : s.Length, g);
                break;
            case Concat c:
            {
                int column = 0;
                foreach (var part in c.Parts)
                {
                    if (IsTensor(part))
                    {
                        var code = c.Parts.Count == 1 ? g : $"{g}.narrow(1, {Literals.Int(column)}, {Literals.Int(part.Width)})";
                        Contribute(part, Reduce(code, true, part.Width, part));
                    }
                    column += part.Width;
                }
                break;
            }
            case NeuralCall call:
                Contribute(call.Input, $"{forward.Tape(call)}.Backward({g}, {networkSlots[call.Network]})");
                break;
            case NeuralInputGradient ig:
                Contribute(ig.Call.Input, $"{forward.Tape(ig)}.Backward({g}, {networkSlots[ig.Call.Network]})");
                break;
            default:
                throw new System.InvalidOperationException("No VJP rule for IR node " + node.GetType().Name);
        }
    }

    void PropagateBinary(Binary b, string g)
    {
        var ops = Names.ScalarOps;
        bool lt = IsTensor(b.Left), rt = IsTensor(b.Right);
        var l = forward.Emit(b.Left);
        var r = forward.Emit(b.Right);
        switch (b.Op)
        {
            case BinaryOp.Add:
                if (lt) Contribute(b.Left, ReduceTo(g, b, b.Left));
                if (rt) Contribute(b.Right, ReduceTo(g, b, b.Right));
                break;
            case BinaryOp.Subtract:
                if (lt) Contribute(b.Left, ReduceTo(g, b, b.Left));
                if (rt) Contribute(b.Right, ReduceTo(g + ".neg()", b, b.Right));
                break;
            case BinaryOp.Multiply:
                if (lt) Contribute(b.Left, ReduceTo(rt ? $"{g}.mul({r})" : $"{ops}.Mul({g}, {r})", b, b.Left));
                if (rt) Contribute(b.Right, ReduceTo(lt ? $"{g}.mul({l})" : $"{ops}.Mul({g}, {l})", b, b.Right));
                break;
            default:
                // d(l/r) = dl/r − (l/r)·dr/r
                if (lt) Contribute(b.Left, ReduceTo(rt ? $"{g}.div({r})" : $"{ops}.Div({g}, {r})", b, b.Left));
                if (rt) Contribute(b.Right, ReduceTo($"{g}.mul({forward.Emit(b)}).div({r}).neg()", b, b.Right));
                break;
        }
    }

    void PropagateCall(Call c, string g)
    {
        var ops = Names.ScalarOps;
        var arg = c.Args[0];
        if (c.Function == Fn.Pow)
        {
            PropagatePow(c, g);
            return;
        }
        if (!IsTensor(arg)) return;
        var u = forward.Emit(arg);
        var n = forward.Emit(c);
        string? local = c.Function switch
        {
            Fn.Sin => $"{g}.mul({u}.cos())",
            Fn.Cos => $"{g}.mul({u}.sin()).neg()",
            Fn.Tan => $"{g}.mul({ops}.Add({ops}.Square({n}), 1.0))",
            Fn.Sinh => $"{g}.mul({u}.cosh())",
            Fn.Cosh => $"{g}.mul({u}.sinh())",
            Fn.Tanh => $"{g}.mul({ops}.RSub(1.0, {ops}.Square({n})))",
            Fn.Exp => $"{g}.mul({n})",
            Fn.Log => $"{g}.div({u})",
            Fn.Sqrt => $"{ops}.Mul({g}.div({n}), 0.5)",
            Fn.Abs => $"{g}.mul({u}.sign())",
            Fn.Square => $"{g}.mul({ops}.Mul({u}, 2.0))",
            Fn.Sigmoid => $"{g}.mul({n}.mul({ops}.RSub(1.0, {n})))",
            Fn.Softplus => $"{g}.mul({u}.sigmoid())",
            Fn.Relu => $"{g}.mul({ops}.Gt({u}, 0.0).to_type({u}.dtype))",
            Fn.Sum => $"{g}.expand(__batch, {Literals.Int(arg.Width)})",
            // Sign and Step are piecewise constant: zero derivative almost everywhere (as autograd defines them).
            _ => null,
        };
        if (local is null) return;
        Contribute(arg, c.Function == Fn.Sum ? local : ReduceTo(local, c, arg));
    }

    void PropagatePow(Call c, string g)
    {
        var ops = Names.ScalarOps;
        Expr ue = c.Args[0], we = c.Args[1];
        bool ut = IsTensor(ue), wt = IsTensor(we);
        var u = forward.Emit(ue);
        var wv = forward.Emit(we);
        var n = forward.Emit(c);
        // d(u^w) = w·u^(w−1)·du + u^w·ln(u)·dw
        if (ut)
        {
            string local = wt
                ? $"{g}.mul({wv}).mul({u}.pow({ops}.Sub({wv}, 1.0)))"
                : we is Literal { Value: 2.0 }
                    ? $"{ops}.Mul({g}.mul({u}), 2.0)"
                    : $"{ops}.Mul({g}.mul({ops}.Pow({u}, {wv} - 1.0)), {wv})";
            Contribute(ue, ReduceTo(local, c, ue));
        }
        if (wt)
        {
            string local = ut
                ? $"{g}.mul({n}).mul({u}.log())"
                : $"{ops}.Mul({g}.mul({n}), global::System.Math.Log({u}))";
            Contribute(we, ReduceTo(local, c, we));
        }
    }
}
