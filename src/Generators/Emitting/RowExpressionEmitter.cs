namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Emits IR as straight-line C# over one batch row of a native kernel, component by component: a vector node of width k
/// becomes k scalar locals of type <c>T</c>. Equal (node, component) pairs are bound once (common sub-expressions), and
/// <see cref="Order"/> lists the bound pairs children-first — a topological order of the component DAG for the reverse sweep.
/// Expressions of constants only are evaluated in double once per call (<see cref="KernelPrologue"/>), as the TorchSharp
/// code evaluates them before broadcasting.
/// </summary>
internal sealed class RowExpressionEmitter(SourceWriter writer, KernelPrologue prologue, System.Func<Expr, int, string> leaf)
{
    readonly Dictionary<(Expr, int), string> bound = new();
    readonly List<(Expr Node, int Component)> order = new();

    /// <summary>Bound (node, component) pairs, every pair after its operands.</summary>
    public IReadOnlyList<(Expr Node, int Component)> Order => order;

    /// <summary>The component of <paramref name="e"/> that an element of width <paramref name="width"/> reads at column <paramref name="j"/> (scalars broadcast).</summary>
    public static int Index(Expr e, int j) => e.IsVector ? j : 0;

    /// <summary>C# for component <paramref name="j"/> of <paramref name="e"/> in this row (a local name or a prologue constant).</summary>
    public string Component(Expr e, int j)
    {
        if (!TensorExpressionEmitter.IsTensor(e)) return prologue.Constant(e);
        var key = (e, Index(e, j));
        if (bound.TryGetValue(key, out var name)) return name;
        var code = Code(e, key.Item2);
        name = prologue.NewLocal("__v");
        writer.WriteLine($"var {name} = {code};");
        bound[key] = name;
        order.Add(key);
        return name;
    }

    string Code(Expr e, int j)
    {
        switch (e)
        {
            case Ref or NeuralCall:
                return leaf(e, j);
            case Negate n:
                return $"-{Component(n.Operand, j)}";
            case Binary b:
                return $"{Component(b.Left, j)} {ExpressionEmitter.Symbol(b.Op)} {Component(b.Right, j)}";
            case Call c:
                return CallCode(c, j);
            case Slice s:
                return Component(s.Source, s.Start + (s.Scalar ? 0 : j));
            case Concat c:
                var (part, column) = Part(c, j);
                return Component(part, column);
            default:
                throw new System.InvalidOperationException("No native code for IR node " + e.GetType().Name);
        }
    }

    /// <summary>The part of a concatenation that holds column <paramref name="j"/>, and the column within it.</summary>
    public static (Expr Part, int Column) Part(Concat c, int j)
    {
        foreach (var part in c.Parts)
        {
            if (j < part.Width) return (part, j);
            j -= part.Width;
        }
        throw new System.InvalidOperationException("Column outside the concatenation.");
    }

    string CallCode(Call c, int j)
    {
        if (c.Function == Fn.Sum)
        {
            var arg = c.Args[0];
            return string.Join(" + ", Enumerable.Range(0, arg.Width).Select(i => Component(arg, i)));
        }
        var u = Component(c.Args[0], j);
        switch (c.Function)
        {
            case Fn.Pow:
                // Small integer powers as products, as libtorch's pow(x, 2) and pow(x, 3).
                if (c.Args[1] is Literal { Value: 2.0 }) return $"{u} * {u}";
                if (c.Args[1] is Literal { Value: 3.0 }) return $"{u} * {u} * {u}";
                return $"T.Pow({u}, {Component(c.Args[1], j)})";
            case Fn.Square: return $"{u} * {u}";
            case Fn.Sign or Fn.Sigmoid or Fn.Softplus or Fn.Relu or Fn.Step:
                return $"{NativeKernelEmitter.Numerics}.ScalarMath.{c.Function}({u})";
            default:
                return $"T.{c.Function}({u})";
        }
    }
}

/// <summary>
/// The part of a native kernel method that runs once per call, before the row loops: constants (evaluated in double, then
/// converted to <c>T</c>), parameter reads and strides. Lines are collected while the body is emitted and written first.
/// </summary>
internal sealed class KernelPrologue
{
    readonly List<string> lines = new();
    readonly Dictionary<Expr, string> constants = new();
    readonly HashSet<string> keys = new();
    readonly Dictionary<string, int> counters = new();

    /// <summary>True once a constant reads a field of the model (the kernel then keeps the model).</summary>
    public bool UsesOwner { get; private set; }

    public IReadOnlyList<string> Lines => lines;

    /// <summary>A fresh local name with the given prefix.</summary>
    public string NewLocal(string prefix)
    {
        counters.TryGetValue(prefix, out var n);
        counters[prefix] = n + 1;
        return prefix + Literals.Int(n);
    }

    /// <summary>Adds <paramref name="line"/> once (by <paramref name="key"/>).</summary>
    public void Need(string key, string line)
    {
        if (keys.Add(key)) lines.Add(line);
    }

    /// <summary>A constant scalar expression as a <c>T</c> local.</summary>
    public string Constant(Expr e)
    {
        if (e is Literal { Value: 0.0 }) return "T.Zero";
        if (e is Literal { Value: 1.0 }) return "T.One";
        if (constants.TryGetValue(e, out var name)) return name;
        name = NewLocal("__c");
        lines.Add($"var {name} = T.CreateTruncating({DoubleCode(e)});");
        constants[e] = name;
        return name;
    }

    string DoubleCode(Expr e)
    {
        switch (e)
        {
            case Literal l:
                return Literals.Double(l.Value);
            case Ref { Kind: MemberKind.Constant } r:
                UsesOwner = true;
                return "__owner." + r.Name;
            case Negate n:
                return $"(-{DoubleCode(n.Operand)})";
            case Binary b:
                return $"({DoubleCode(b.Left)} {ExpressionEmitter.Symbol(b.Op)} {DoubleCode(b.Right)})";
            case Call c when c.Args.All(a => !a.IsVector):
                var args = string.Join(", ", c.Args.Select(DoubleCode));
                return c.Function switch
                {
                    Fn.Step => $"{NativeKernelEmitter.Numerics}.ScalarMath.Step<double>({args})",
                    Fn.Sign => $"(double){Names.DslMath}.Sign({args})",
                    _ => $"{Names.DslMath}.{c.Function}({args})",
                };
            default:
                throw new System.InvalidOperationException("Not a constant scalar expression: " + e.GetType().Name);
        }
    }
}
