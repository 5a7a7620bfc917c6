namespace NodeDsl.Generators.Symbolic;

/// <summary>
/// Smart constructors for the IR that fold literals and drop 0/1 terms (x + 0 = x, x·1 = x, x·0 = 0, −(−x) = x),
/// so derivatives stay small. Folding x·0 to 0 is exact except for x = ±∞/NaN, as in every symbolic CAS.
/// </summary>
internal static class Build
{
    public static readonly Literal Zero = new(0.0);
    public static readonly Literal One = new(1.0);

    public static bool IsZero(Expr e) => e is Literal { Value: 0.0 };
    public static bool IsOne(Expr e) => e is Literal { Value: 1.0 };

    // True when an elementwise operation of kept and dropped has kept's shape, so dropping the neutral operand keeps the shape.
    static bool Keeps(Expr kept, Expr dropped) => Shape.Broadcast(kept.Shape, dropped.Shape) == kept.Shape;

    static bool BothScalar(Expr a, Expr b) => !a.IsVector && !b.IsVector;

    public static Expr Add(Expr a, Expr b)
    {
        if (a is Literal la && b is Literal lb) return new Literal(la.Value + lb.Value);
        if (IsZero(a) && Keeps(b, a)) return b;
        if (IsZero(b) && Keeps(a, b)) return a;
        if (b is Negate nb) return Subtract(a, nb.Operand);
        return new Binary(BinaryOp.Add, a, b);
    }

    public static Expr Subtract(Expr a, Expr b)
    {
        if (a is Literal la && b is Literal lb) return new Literal(la.Value - lb.Value);
        if (IsZero(b) && Keeps(a, b)) return a;
        if (IsZero(a) && Keeps(b, a)) return Negate(b);
        if (b is Negate nb) return Add(a, nb.Operand);
        return new Binary(BinaryOp.Subtract, a, b);
    }

    public static Expr Multiply(Expr a, Expr b)
    {
        if (a is Literal la && b is Literal lb) return new Literal(la.Value * lb.Value);
        if ((IsZero(a) || IsZero(b)) && BothScalar(a, b)) return Zero;
        if (IsOne(a) && Keeps(b, a)) return b;
        if (IsOne(b) && Keeps(a, b)) return a;
        if (a is Literal { Value: -1.0 } && Keeps(b, a)) return Negate(b);
        if (b is Literal { Value: -1.0 } && Keeps(a, b)) return Negate(a);
        if (a is Negate na && b is Negate nb) return Multiply(na.Operand, nb.Operand);
        if (a is Negate na2) return Negate(Multiply(na2.Operand, b));
        if (b is Negate nb2) return Negate(Multiply(a, nb2.Operand));
        return new Binary(BinaryOp.Multiply, a, b);
    }

    public static Expr Divide(Expr a, Expr b)
    {
        if (a is Literal la && b is Literal lb && lb.Value != 0.0) return new Literal(la.Value / lb.Value);
        if (IsZero(a) && BothScalar(a, b)) return Zero;
        if (IsOne(b) && Keeps(a, b)) return a;
        if (a is Negate na) return Negate(Divide(na.Operand, b));
        return new Binary(BinaryOp.Divide, a, b);
    }

    public static Expr Negate(Expr a) => a switch
    {
        Literal l => new Literal(-l.Value),
        Negate n => n.Operand,
        _ => new Negate(a),
    };

    public static Expr Binary(BinaryOp op, Expr a, Expr b) => op switch
    {
        BinaryOp.Add => Add(a, b),
        BinaryOp.Subtract => Subtract(a, b),
        BinaryOp.Multiply => Multiply(a, b),
        _ => Divide(a, b),
    };

    public static Expr Call(Fn fn, params Expr[] args)
    {
        if (fn == Fn.Pow && args[1] is Literal { Value: 1.0 }) return args[0];
        if (fn == Fn.Pow && args[1] is Literal { Value: 0.0 } && !args[0].IsVector) return One;
        return new Call(fn, args.ToEquatableArray());
    }
}
