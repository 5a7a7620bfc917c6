namespace NodeDsl.Generators.Model;

/// <summary>Queries over an expression tree: the leaves it reads and whether it calls a network.</summary>
internal static class ExprWalk
{
    /// <summary>Adds every <see cref="Ref"/> leaf of <paramref name="e"/> to <paramref name="refs"/>.</summary>
    public static void CollectRefs(Expr e, HashSet<Ref> refs)
    {
        switch (e)
        {
            case Ref r: refs.Add(r); break;
            case Negate n: CollectRefs(n.Operand, refs); break;
            case Binary b: CollectRefs(b.Left, refs); CollectRefs(b.Right, refs); break;
            case Call c: foreach (var a in c.Args) CollectRefs(a, refs); break;
            case NeuralCall c: foreach (var a in c.Args) CollectRefs(a, refs); break;
            case NeuralInputGradient g: CollectRefs(g.Call, refs); break;
            case Slice s: CollectRefs(s.Source, refs); break;
            case Concat c: foreach (var a in c.Parts) CollectRefs(a, refs); break;
        }
    }

    /// <summary>True when <paramref name="e"/> reads <paramref name="leaf"/>.</summary>
    public static bool Reads(Expr e, Ref leaf)
    {
        var refs = new HashSet<Ref>();
        CollectRefs(e, refs);
        return refs.Contains(leaf);
    }

    /// <summary>True when <paramref name="e"/> evaluates a network (or a network's input gradient).</summary>
    public static bool CallsNetwork(Expr e) => e switch
    {
        NeuralCall or NeuralInputGradient => true,
        Negate n => CallsNetwork(n.Operand),
        Binary b => CallsNetwork(b.Left) || CallsNetwork(b.Right),
        Call c => c.Args.Any(CallsNetwork),
        Slice s => CallsNetwork(s.Source),
        Concat c => c.Parts.Any(CallsNetwork),
        _ => false,
    };
}
