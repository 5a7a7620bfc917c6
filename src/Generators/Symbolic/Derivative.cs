namespace NodeDsl.Generators.Symbolic;

/// <summary>
/// Symbolic differentiation of the IR with respect to one scalar state: sum, product, quotient and chain rules,
/// with network terms expanded through their input gradients (∂N_k/∂x_j, evaluated by the network's own backward).
/// Returns null, with a reason, for what it cannot differentiate (a vector-valued network inside a vector expression).
/// </summary>
internal static class Derivative
{
    /// <summary>d<paramref name="e"/>/d<paramref name="variable"/>, or null with <paramref name="reason"/> set.</summary>
    public static Expr? Of(Expr e, Ref variable, out string reason)
        => NotDifferentiableException.Catch(() => D(e, variable), out reason);

    static Expr D(Expr e, Ref v)
    {
        switch (e)
        {
            case Literal:
                return Build.Zero;
            case Ref r:
                if (r.Kind == v.Kind && r.Name == v.Name)
                    return !r.IsVector ? Build.One : throw new NotDifferentiableException($"'{r.Name}' is a vector; differentiate with respect to scalar states only");
                return Build.Zero;
            case Negate n:
                return Build.Negate(D(n.Operand, v));
            case Binary b:
                return Binary(b, v);
            case Call c:
                return Call(c, v);
            case Slice { Source: NeuralCall call, Scalar: true } s:
                return NeuralOutput(call, s.Start, v);
            case Slice s:
                if (s.Source is NeuralCall)
                    throw new NotDifferentiableException("a vector of network outputs is used as a whole; use its components one at a time (e.g. u[0])");
                var ds = D(s.Source, v);
                if (Build.IsZero(ds) && !ds.IsVector) return Build.Zero;
                if (s.Scalar && ds is Concat dc && dc.Parts.All(p => !p.IsVector)) return dc.Parts[s.Start];
                return new Slice(ds, s.Start, s.Length, s.Scalar);
            case Concat cat:
                // Zero parts are widened to one literal per column so offsets stay right.
                var parts = cat.Parts.SelectMany(p => Widen(D(p, v), p)).ToArray();
                return new Concat(parts.ToEquatableArray());
            case NeuralCall:
                throw new NotDifferentiableException("a network's whole output vector is used in a vector expression; use its components (e.g. u[0])");
            case NeuralInputGradient:
                throw new NotDifferentiableException("second derivatives of networks are not supported");
            default:
                throw new NotDifferentiableException($"unexpected expression {e.GetType().Name}");
        }
    }

    // A literal 0 broadcasts in arithmetic, but inside a Concat it must fill every column of the part it replaces.
    static Expr[] Widen(Expr derivative, Expr original)
        => Build.IsZero(derivative) && !derivative.IsVector && original.IsVector
            ? Enumerable.Repeat<Expr>(Build.Zero, original.Width).ToArray()
            : [derivative];

    static Expr Binary(Binary b, Ref v)
    {
        var da = D(b.Left, v);
        var db = D(b.Right, v);
        switch (b.Op)
        {
            case BinaryOp.Add: return Build.Add(da, db);
            case BinaryOp.Subtract: return Build.Subtract(da, db);
            case BinaryOp.Multiply:
                return Build.Add(Build.Multiply(da, b.Right), Build.Multiply(b.Left, db));
            default:
                // (a/b)' = a'/b − a·b'/b²
                var first = Build.Divide(da, b.Right);
                if (Build.IsZero(db)) return first;
                var second = Build.Divide(Build.Multiply(b.Left, db), Build.Call(Fn.Square, b.Right));
                return Build.Subtract(first, second);
        }
    }

    static Expr Call(Call c, Ref v)
    {
        var u = c.Args[0];
        if (c.Function == Fn.Pow) return Pow(u, c.Args[1], v);
        var du = D(u, v);
        if (Build.IsZero(du)) return Build.Zero;
        if (c.Function == Fn.Sum) return Build.Call(Fn.Sum, du);
        var outer = LocalDerivative(c) ?? throw new NotDifferentiableException($"no rule for {c.Function}");
        return Build.IsZero(outer) ? Build.Zero : Build.Multiply(outer, du);
    }

    /// <summary>
    /// ∂c/∂u of an elementwise one-argument call <c>c = f(u)</c> as IR (in terms of u and c itself); null for
    /// <see cref="Fn.Sum"/> and <see cref="Fn.Pow"/>, which have their own rules. Shared by the symbolic derivative and the
    /// reverse mode of the native kernels (NativeKernelEmitter).
    /// </summary>
    public static Expr? LocalDerivative(Call c)
    {
        var u = c.Args[0];
        return c.Function switch
        {
            Fn.Sin => Build.Call(Fn.Cos, u),
            Fn.Cos => Build.Negate(Build.Call(Fn.Sin, u)),
            Fn.Tan => Build.Add(Build.One, Build.Call(Fn.Square, c)),
            Fn.Sinh => Build.Call(Fn.Cosh, u),
            Fn.Cosh => Build.Call(Fn.Sinh, u),
            Fn.Tanh => Build.Subtract(Build.One, Build.Call(Fn.Square, c)),
            Fn.Exp => c,
            Fn.Log => Build.Divide(Build.One, u),
            Fn.Sqrt => Build.Divide(new Literal(0.5), c),
            Fn.Abs => Build.Call(Fn.Sign, u),
            Fn.Square => Build.Multiply(new Literal(2.0), u),
            Fn.Sigmoid => Build.Multiply(c, Build.Subtract(Build.One, c)),
            Fn.Softplus => Build.Call(Fn.Sigmoid, u),
            Fn.Relu => Build.Call(Fn.Step, u),
            // Sign and Step are piecewise constant: derivative 0 almost everywhere.
            Fn.Sign or Fn.Step => Build.Zero,
            _ => null,
        };
    }

    /// <summary>The partial derivatives of <c>u^w</c>: <c>∂/∂u = w·u^(w−1)</c> and <c>∂/∂w = u^w·ln u</c>.</summary>
    public static (Expr Base, Expr Exponent) PowPartials(Expr u, Expr w)
    {
        var exponent = w is Literal lw ? new Literal(lw.Value - 1.0) : Build.Subtract(w, Build.One);
        return (Build.Multiply(w, Build.Call(Fn.Pow, u, exponent)),
                Build.Multiply(Build.Call(Fn.Pow, u, w), Build.Call(Fn.Log, u)));
    }

    static Expr Pow(Expr u, Expr w, Ref v)
    {
        var du = D(u, v);
        var dw = D(w, v);
        var (dBase, dExponent) = PowPartials(u, w);
        Expr result = Build.Zero;
        if (!Build.IsZero(du)) result = Build.Multiply(dBase, du);                  // w·u^(w−1)·du
        if (!Build.IsZero(dw)) result = Build.Add(result, Build.Multiply(dExponent, dw)); // u^w·ln u·dw
        return result;
    }

    // d N_k(x(v)) / dv = Σ_j ∂N_k/∂x_j · dx_j/dv, with ∂N_k/∂x computed once per (call, k) by the network backward.
    static Expr NeuralOutput(NeuralCall call, int k, Ref v)
    {
        var gradient = new NeuralInputGradient(call, k);
        Expr sum = Build.Zero;
        int column = 0;
        foreach (var arg in call.Args)
        {
            if (arg.IsVector)
            {
                for (int i = 0; i < arg.Width; i++)
                {
                    var component = D(new Slice(arg, i, 1, true), v);
                    if (!Build.IsZero(component))
                        sum = Build.Add(sum, Build.Multiply(new Slice(gradient, column + i, 1, true), component));
                }
                column += arg.Width;
            }
            else
            {
                var da = D(arg, v);
                if (!Build.IsZero(da)) sum = Build.Add(sum, Build.Multiply(new Slice(gradient, column, 1, true), da));
                column += 1;
            }
        }
        return sum;
    }
}
