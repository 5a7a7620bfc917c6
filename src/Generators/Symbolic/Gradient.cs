namespace NodeDsl.Generators.Symbolic;

/// <summary>
/// The gradient of a scalar expression with respect to a whole Vec state, as one vector IR expression: reverse-mode
/// accumulation over the expression DAG (each node's adjoint is pushed to its operands once, children after parents),
/// so ∂H/∂q of an energy over Vec coordinates stays a handful of vector operations instead of one scalar derivative per
/// component. Network terms are expanded through their input gradients, as in <see cref="Derivative"/>.
/// </summary>
/// <remarks>
/// An adjoint may be a scalar standing for the same value in every component of a vector node (the adjoint of
/// <c>Sum(u)</c> with respect to <c>u</c>); it broadcasts in arithmetic and is widened only where columns must be placed
/// (a slice of a larger vector, the final gradient).
/// </remarks>
internal static class Gradient
{
    /// <summary>∂<paramref name="e"/>/∂<paramref name="variable"/> with <paramref name="variable"/>'s shape, or null with <paramref name="reason"/> set.</summary>
    public static Expr? Of(Expr e, Ref variable, out string reason)
        => NotDifferentiableException.Catch(() => Compute(e, variable), out reason);

    static Expr Compute(Expr root, Ref v)
    {
        if (root.IsVector) throw new NotDifferentiableException("the gradient is taken of one double (the energy)");
        var order = new List<Expr>();
        var depends = new Dictionary<Expr, bool>();
        DependsOn(root, v, depends, order);
        var adjoints = new Dictionary<Expr, Expr> { [root] = Build.One };
        // Adjoints that slices of a vector send back, kept apart and assembled once per vector (Assemble).
        var pieces = new Dictionary<Expr, List<(int Start, int Length, Expr G)>>();
        Expr? Total(Expr node)
        {
            adjoints.TryGetValue(node, out var whole);
            if (!pieces.TryGetValue(node, out var list)) return whole;
            var assembled = Assemble(list, node.Width);
            return whole is null ? assembled : Build.Add(whole, assembled);
        }
        // order is children-first; walking it backwards visits every node after all its parents.
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (!depends[node] || node is Ref || Total(node) is not { } g) continue;
            if (node is Slice { Source: not NeuralCall } slice)
            {
                if (!pieces.TryGetValue(slice.Source, out var list)) pieces[slice.Source] = list = new();
                list.Add((slice.Start, slice.Scalar ? 1 : slice.Length, g));
                continue;
            }
            foreach (var (child, contribution) in Pull(node, g))
                if (depends[child])
                    adjoints[child] = adjoints.TryGetValue(child, out var sum) ? Build.Add(sum, contribution) : contribution;
        }
        return Widen(Total(v) ?? Build.Zero, v.Shape);
    }

    // Post-order walk: true when the node reads v; every node is listed once, after its operands.
    static bool DependsOn(Expr e, Ref v, Dictionary<Expr, bool> seen, List<Expr> order)
    {
        if (seen.TryGetValue(e, out var known)) return known;
        bool result = e switch
        {
            Literal => false,
            Ref r => r.Kind == v.Kind && r.Name == v.Name,
            _ => Children(e).Aggregate(false, (any, c) => DependsOn(c, v, seen, order) | any),
        };
        seen[e] = result;
        order.Add(e);
        return result;
    }

    static IEnumerable<Expr> Children(Expr e) => e switch
    {
        Negate n => [n.Operand],
        Binary b => [b.Left, b.Right],
        Call c => c.Args,
        NeuralCall c => c.Args,
        NeuralInputGradient g => g.Call.Args,
        Slice s => [s.Source],
        Concat c => c.Parts,
        _ => [],
    };

    // The contributions of node's adjoint g to its operands' adjoints.
    static IEnumerable<(Expr Child, Expr Contribution)> Pull(Expr node, Expr g)
    {
        switch (node)
        {
            case Negate n:
                return [(n.Operand, Build.Negate(g))];
            case Binary b:
                return Binary(b, g);
            case Call c:
                return Call(c, g);
            case Slice { Source: NeuralCall call, Scalar: true } s:
                return NeuralOutput(call, s.Start, g);
            case Slice { Source: NeuralCall call } s:
                return Outputs(call, g, s.Start, s.Length);
            case NeuralCall call:
                return Outputs(call, g, 0, call.OutputSize);
            case Concat c:
                return Parts(c, g);
            case NeuralInputGradient:
                throw new NotDifferentiableException("second derivatives of networks are not supported");
            default:
                throw new NotDifferentiableException($"unexpected expression {node.GetType().Name}");
        }
    }

    static IEnumerable<(Expr, Expr)> Binary(Binary b, Expr g)
    {
        Expr a = b.Left, c = b.Right;
        return b.Op switch
        {
            BinaryOp.Add => [(a, Reduce(g, a)), (c, Reduce(g, c))],
            BinaryOp.Subtract => [(a, Reduce(g, a)), (c, Reduce(Build.Negate(g), c))],
            BinaryOp.Multiply => [(a, Reduce(Build.Multiply(g, c), a)), (c, Reduce(Build.Multiply(g, a), c))],
            // ∂(a/c)/∂a = 1/c, ∂(a/c)/∂c = −a/c²
            _ => [(a, Reduce(Build.Divide(g, c), a)),
                  (c, Reduce(Build.Negate(Build.Divide(Build.Multiply(g, a), Build.Call(Fn.Square, c))), c))],
        };
    }

    static IEnumerable<(Expr, Expr)> Call(Call c, Expr g)
    {
        var u = c.Args[0];
        if (c.Function == Fn.Sum) return [(u, g)];
        if (c.Function == Fn.Pow)
        {
            var w = c.Args[1];
            var (dBase, dExponent) = Derivative.PowPartials(u, w);
            return [(u, Reduce(Build.Multiply(g, dBase), u)), (w, Reduce(Build.Multiply(g, dExponent), w))];
        }
        var local = Derivative.LocalDerivative(c) ?? throw new NotDifferentiableException($"no rule for {c.Function}");
        return Build.IsZero(local) ? [] : [(u, Build.Multiply(g, local))];
    }

    // d N_k / d input = ∂N_k/∂x (the network's own backward, once per call and output), split over the arguments.
    static IEnumerable<(Expr, Expr)> NeuralOutput(NeuralCall call, int k, Expr g)
    {
        var gradient = new NeuralInputGradient(call, k);
        int column = 0;
        foreach (var arg in call.Args)
        {
            yield return (arg, Build.Multiply(g, new Slice(gradient, column, arg.Width, !arg.IsVector)));
            column += arg.Width;
        }
    }

    // A block of network outputs used as a Vec: Σ_k g_k ∂N_k/∂x, one input gradient per output used.
    static IEnumerable<(Expr, Expr)> Outputs(NeuralCall call, Expr g, int start, int length)
        => Enumerable.Range(0, length).SelectMany(k => NeuralOutput(call, start + k, g.IsVector ? new Slice(g, k, 1, true) : g));

    static IEnumerable<(Expr, Expr)> Parts(Concat c, Expr g)
    {
        int column = 0;
        foreach (var part in c.Parts)
        {
            // A scalar adjoint is the same in every column, so each part takes it as it is.
            yield return (part, g.IsVector ? new Slice(g, column, part.Width, !part.IsVector) : g);
            column += part.Width;
        }
    }

    // The adjoint of an operand that was broadcast: a double used against a Vec collects the sum over the components.
    static Expr Reduce(Expr contribution, Expr operand)
        => !operand.IsVector && contribution.IsVector ? Build.Call(Fn.Sum, contribution) : contribution;

    // The adjoint of a vector of the given width from the adjoints of its slices: the columns are cut where a slice starts
    // or ends, each segment is the sum of the slices that cover it (zeros where none does), and the segments are joined
    // once. q[1..] − q[..^1] thus gives three segments, not two zero-padded vectors added together.
    static Expr Assemble(List<(int Start, int Length, Expr G)> slices, int width)
    {
        var cuts = slices.SelectMany(s => new[] { s.Start, s.Start + s.Length }).Concat([0, width]).Distinct().OrderBy(c => c).ToList();
        var segments = new List<Expr>();
        for (int c = 0; c + 1 < cuts.Count; c++)
        {
            int a = cuts[c], b = cuts[c + 1];
            Expr? sum = null;
            foreach (var (start, length, g) in slices.Where(s => s.Start <= a && b <= s.Start + s.Length))
            {
                var piece = Piece(g, a - start, b - a, length);
                sum = sum is null ? piece : Build.Add(sum, piece);
            }
            segments.AddRange(sum is null ? Enumerable.Repeat<Expr>(Build.Zero, b - a) : [sum]);
        }
        return segments.Count == 1 ? segments[0] : new Concat(segments.ToEquatableArray());
    }

    // Columns offset .. offset + length of a slice's adjoint g (of the slice's width); a scalar g stands for every column.
    static Expr Piece(Expr g, int offset, int length, int width)
    {
        if (!g.IsVector) return length == 1 ? g : new Concat(Enumerable.Repeat(g, length).ToEquatableArray());
        return offset == 0 && length == width ? g : new Slice(g, offset, length, false);
    }

    // A scalar adjoint of a Vec variable stands for that value in every component.
    static Expr Widen(Expr total, Shape shape)
        => shape.IsVector && !total.IsVector ? new Concat(Enumerable.Repeat(total, shape.Width).ToEquatableArray()) : total;
}
