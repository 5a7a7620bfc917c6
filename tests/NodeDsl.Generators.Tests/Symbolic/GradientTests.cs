using NodeDsl.Generators.Model;
using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Tests.Symbolic;

/// <summary>
/// The reverse-mode gradient with respect to a whole Vec, on its own: each case is compared with central differences of
/// a small IR evaluator over vectors, component by component.
/// </summary>
public class GradientTests
{
    const int N = 5;
    static readonly Ref Q = new(MemberKind.State, "q", Shape.Vector(N));
    static readonly Ref P = new(MemberKind.State, "p", Shape.Vector(N));
    static readonly Ref X = new(MemberKind.State, "x", Shape.Scalar);

    static Expr Call(Fn f, params Expr[] args) => new Call(f, args.ToEquatableArray());
    static Expr Bin(BinaryOp op, Expr a, Expr b) => new Binary(op, a, b);
    static Expr Sum(Expr a) => Call(Fn.Sum, a);
    static Expr Lit(double v) => new Literal(v);
    static Expr Slice(Expr v, int start, int length) => new Slice(v, start, length, false);
    static Expr At(Expr v, int i) => new Slice(v, i, 1, true);

    // q[1..] − q[..^1]: the pairwise differences of a chain.
    static readonly Expr Differences = Bin(BinaryOp.Subtract, Slice(Q, 1, N - 1), Slice(Q, 0, N - 1));

    static readonly Dictionary<string, Expr> Cases = new()
    {
        ["dot"] = Sum(Bin(BinaryOp.Multiply, P, P)),
        ["pairwise differences squared"] = Bin(BinaryOp.Multiply, Lit(0.5), Sum(Call(Fn.Square, Differences))),
        ["end terms and walls"] = Sum(Call(Fn.Square, new Concat(EquatableArray.Of(At(Q, 0), Differences, new Negate(At(Q, N - 1)))))),
        ["scalar times sum (broadcast adjoint)"] = Bin(BinaryOp.Multiply, X, Sum(Q)),
        ["quotient with a vector denominator"] = Sum(Bin(BinaryOp.Divide, P, Bin(BinaryOp.Add, Lit(2), Call(Fn.Square, Q)))),
        ["p–q coupling"] = Bin(BinaryOp.Multiply, Call(Fn.Exp, Bin(BinaryOp.Divide, Sum(Call(Fn.Square, Q)), Lit(-8))), Sum(Bin(BinaryOp.Multiply, P, Call(Fn.Sin, Q)))),
        ["pow, sqrt, tanh"] = Sum(Bin(BinaryOp.Add, Call(Fn.Pow, Call(Fn.Sqrt, Bin(BinaryOp.Add, Lit(1), Call(Fn.Square, Q))), Lit(3)), Call(Fn.Tanh, Bin(BinaryOp.Multiply, P, Q)))),
        ["components used one at a time"] = Bin(BinaryOp.Multiply, At(Q, 1), Bin(BinaryOp.Subtract, At(Q, 3), At(P, 0))),
        ["shared sub-expression"] = SharedSubexpression(),
    };

    static Expr SharedSubexpression()
    {
        var s = Sum(Call(Fn.Square, Q));
        return Bin(BinaryOp.Add, Bin(BinaryOp.Multiply, s, s), Call(Fn.Log, Bin(BinaryOp.Add, Lit(1), s)));
    }

    public static TheoryData<string, string> Variables()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Cases.Keys)
            foreach (var v in new[] { "q", "p", "x" })
                data.Add(name, v);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variables))]
    public void GradientMatchesCentralDifferences(string name, string variable)
    {
        var e = Cases[name];
        var v = variable switch { "q" => Q, "p" => P, _ => X };
        var g = Gradient.Of(e, v, out var reason);
        Assert.True(g is not null, reason);
        Assert.Equal(v.Shape, g!.Shape);
        var rng = new Random(name.Length);
        for (int trial = 0; trial < 5; trial++)
        {
            var env = new Dictionary<string, double[]>
            {
                ["q"] = Random(rng, N), ["p"] = Random(rng, N), ["x"] = Random(rng, 1),
            };
            var analytic = Eval(g, env);
            for (int i = 0; i < v.Width; i++)
            {
                // h = 1e-5: truncation h²/6·|f'''| ≈ 1e-10 and rounding 1e-16/h ≈ 1e-11 for these O(1) functions, so 1e-6 is
                // robust and still catches any wrong term.
                const double h = 1e-5;
                var plus = Clone(env);
                var minus = Clone(env);
                plus[variable][i] += h;
                minus[variable][i] -= h;
                double numeric = (Eval(e, plus)[0] - Eval(e, minus)[0]) / (2 * h);
                Assert.True(System.Math.Abs(analytic[i] - numeric) <= 1e-6 * System.Math.Max(1, System.Math.Abs(numeric)),
                    $"{name}, ∂/∂{variable}[{i}]: symbolic {analytic[i]:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void AVectorEnergyIsRefused()
    {
        Assert.Null(Gradient.Of(Bin(BinaryOp.Multiply, Q, Q), Q, out var reason));
        Assert.Contains("one double", reason, StringComparison.Ordinal);
    }

    static double[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => 1.6 * rng.NextDouble() - 0.8).ToArray();

    static Dictionary<string, double[]> Clone(Dictionary<string, double[]> env) => env.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());

    // A tiny evaluator over vectors (a scalar is an array of one that broadcasts), enough for the IR a gradient produces.
    static double[] Eval(Expr e, Dictionary<string, double[]> env) => e switch
    {
        Literal l => [l.Value],
        Ref r => env[r.Name],
        Negate n => Eval(n.Operand, env).Select(a => -a).ToArray(),
        Binary b => Zip(Eval(b.Left, env), Eval(b.Right, env), b.Op switch
        {
            BinaryOp.Add => (x, y) => x + y,
            BinaryOp.Subtract => (x, y) => x - y,
            BinaryOp.Multiply => (x, y) => x * y,
            _ => (x, y) => x / y,
        }),
        Call { Function: Fn.Sum } c => [Eval(c.Args[0], env).Sum()],
        Call { Function: Fn.Pow } c => Zip(Eval(c.Args[0], env), Eval(c.Args[1], env), System.Math.Pow),
        Call c => Eval(c.Args[0], env).Select(Function(c.Function)).ToArray(),
        Slice s => Eval(s.Source, env).Skip(s.Start).Take(s.Length).ToArray(),
        Concat c => c.Parts.SelectMany(p => Eval(p, env)).ToArray(),
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
    {
        int n = System.Math.Max(a.Length, b.Length);
        return Enumerable.Range(0, n).Select(i => f(a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i])).ToArray();
    }

    static Func<double, double> Function(Fn f) => f switch
    {
        Fn.Sin => System.Math.Sin,
        Fn.Cos => System.Math.Cos,
        Fn.Exp => System.Math.Exp,
        Fn.Log => System.Math.Log,
        Fn.Sqrt => System.Math.Sqrt,
        Fn.Tanh => System.Math.Tanh,
        Fn.Square => x => x * x,
        Fn.Sign => x => System.Math.Sign(x),
        _ => throw new InvalidOperationException(f.ToString()),
    };
}
