using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Reverse mode over one row of a native kernel (Griewank &amp; Walther, "Evaluating Derivatives", ch. 3): the component
/// DAG that <see cref="RowExpressionEmitter"/> bound is visited once in reverse topological order and each pair's adjoint
/// is accumulated from all its uses. Working per component, a broadcast scalar simply collects one contribution per column
/// and slices and concatenations route single columns, so no reductions or padding are needed. The calculus is the
/// symbolic module's (<see cref="Derivative.LocalDerivative"/>, <see cref="Derivative.PowPartials"/>), emitted as forward code.
/// </summary>
internal sealed class RowAdjointEmitter(SourceWriter writer, RowExpressionEmitter forward, KernelPrologue prologue)
{
    readonly Dictionary<(Expr, int), string> adjoint = new();

    /// <summary>Adds <paramref name="code"/> to the adjoint of component <paramref name="j"/> of <paramref name="e"/> (constants have none).</summary>
    public void Contribute(Expr e, int j, string code)
    {
        if (!TensorExpressionEmitter.IsTensor(e)) return;
        var key = (e, RowExpressionEmitter.Index(e, j));
        if (adjoint.TryGetValue(key, out var name))
        {
            writer.WriteLine($"{name} += {code};");
            return;
        }
        name = prologue.NewLocal("__g");
        writer.WriteLine($"var {name} = {code};");
        adjoint[key] = name;
    }

    /// <summary>The adjoint local of a component after <see cref="Sweep"/>, or null when nothing reached it.</summary>
    public string? Adjoint(Expr e, int j) => adjoint.TryGetValue((e, RowExpressionEmitter.Index(e, j)), out var name) ? name : null;

    /// <summary>Propagates the seeded adjoints down to the leaves (states, inputs, time, parameters, network outputs).</summary>
    public void Sweep()
    {
        var order = forward.Order.ToList(); // nodes bound while differentiating are values only
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var (node, j) = order[i];
            if (adjoint.TryGetValue((node, j), out var g)) Propagate(node, j, g);
        }
    }

    string Value(Expr e, int j) => forward.Component(e, j);

    void Propagate(Expr node, int j, string g)
    {
        switch (node)
        {
            case Ref or NeuralCall:
                return; // leaves: the kernel emitter collects their adjoints
            case Negate n:
                Contribute(n.Operand, j, "-" + g);
                return;
            case Binary b:
                PropagateBinary(b, j, g);
                return;
            case Call c:
                PropagateCall(c, j, g);
                return;
            case Slice s:
                Contribute(s.Source, s.Start + (s.Scalar ? 0 : j), g);
                return;
            case Concat c:
                var (part, column) = RowExpressionEmitter.Part(c, j);
                Contribute(part, column, g);
                return;
            default:
                throw new System.InvalidOperationException("No VJP rule for IR node " + node.GetType().Name);
        }
    }

    void PropagateBinary(Binary b, int j, string g)
    {
        switch (b.Op)
        {
            case BinaryOp.Add:
                Contribute(b.Left, j, g);
                Contribute(b.Right, j, g);
                return;
            case BinaryOp.Subtract:
                Contribute(b.Left, j, g);
                Contribute(b.Right, j, "-" + g);
                return;
            case BinaryOp.Multiply:
                if (TensorExpressionEmitter.IsTensor(b.Left)) Contribute(b.Left, j, $"{g} * {Value(b.Right, j)}");
                if (TensorExpressionEmitter.IsTensor(b.Right)) Contribute(b.Right, j, $"{g} * {Value(b.Left, j)}");
                return;
            default:
                // d(l/r) = dl/r − (l/r)·dr/r
                if (TensorExpressionEmitter.IsTensor(b.Left)) Contribute(b.Left, j, $"{g} / {Value(b.Right, j)}");
                if (TensorExpressionEmitter.IsTensor(b.Right)) Contribute(b.Right, j, $"-({g} * {Value(b, j)} / {Value(b.Right, j)})");
                return;
        }
    }

    void PropagateCall(Call c, int j, string g)
    {
        var u = c.Args[0];
        if (c.Function == Fn.Sum)
        {
            for (int i = 0; i < u.Width; i++) Contribute(u, i, g);
            return;
        }
        if (c.Function == Fn.Pow)
        {
            var w = c.Args[1];
            var (dBase, dExponent) = Derivative.PowPartials(u, w);
            if (TensorExpressionEmitter.IsTensor(u)) Contribute(u, j, $"{g} * {Value(dBase, j)}");
            if (TensorExpressionEmitter.IsTensor(w)) Contribute(w, j, $"{g} * {Value(dExponent, j)}");
            return;
        }
        var local = Derivative.LocalDerivative(c)
            ?? throw new System.InvalidOperationException("No derivative rule for " + c.Function);
        if (Build.IsZero(local)) return; // Sign, Step: zero almost everywhere, as autograd defines them
        Contribute(u, j, $"{g} * {Value(local, j)}");
    }
}
