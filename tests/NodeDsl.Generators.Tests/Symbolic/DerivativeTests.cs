using NodeDsl.Generators.Model;
using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Tests.Symbolic;

/// <summary>The symbolic differentiation module, on its own: rules, chain rule, simplification, network terms.</summary>
public class DerivativeTests
{
    static readonly Ref X = new(MemberKind.State, "x", Shape.Scalar);
    static readonly Ref Y = new(MemberKind.State, "y", Shape.Scalar);
    static readonly Ref K = new(MemberKind.Parameter, "k", Shape.Scalar);

    static Expr Call(Fn f, params Expr[] args) => new Call(f, args.ToEquatableArray());
    static Expr Mul(Expr a, Expr b) => new Binary(BinaryOp.Multiply, a, b);
    static Expr Add(Expr a, Expr b) => new Binary(BinaryOp.Add, a, b);
    static Expr Div(Expr a, Expr b) => new Binary(BinaryOp.Divide, a, b);
    static Expr Lit(double v) => new Literal(v);

    static Expr D(Expr e, Ref v)
    {
        var d = Derivative.Of(e, v, out var reason);
        Assert.True(d is not null, reason);
        return d!;
    }

    // A tiny evaluator for scalar IR, to compare derivatives with central differences.
    static double Eval(Expr e, double x, double y) => e switch
    {
        Literal l => l.Value,
        Ref { Name: "x" } => x,
        Ref { Name: "y" } => y,
        Ref { Name: "k" } => 0.7,
        Negate n => -Eval(n.Operand, x, y),
        Binary b => b.Op switch
        {
            BinaryOp.Add => Eval(b.Left, x, y) + Eval(b.Right, x, y),
            BinaryOp.Subtract => Eval(b.Left, x, y) - Eval(b.Right, x, y),
            BinaryOp.Multiply => Eval(b.Left, x, y) * Eval(b.Right, x, y),
            _ => Eval(b.Left, x, y) / Eval(b.Right, x, y),
        },
        Call c => c.Function switch
        {
            Fn.Sin => System.Math.Sin(Eval(c.Args[0], x, y)),
            Fn.Cos => System.Math.Cos(Eval(c.Args[0], x, y)),
            Fn.Tan => System.Math.Tan(Eval(c.Args[0], x, y)),
            Fn.Sinh => System.Math.Sinh(Eval(c.Args[0], x, y)),
            Fn.Cosh => System.Math.Cosh(Eval(c.Args[0], x, y)),
            Fn.Tanh => System.Math.Tanh(Eval(c.Args[0], x, y)),
            Fn.Exp => System.Math.Exp(Eval(c.Args[0], x, y)),
            Fn.Log => System.Math.Log(Eval(c.Args[0], x, y)),
            Fn.Sqrt => System.Math.Sqrt(Eval(c.Args[0], x, y)),
            Fn.Abs => System.Math.Abs(Eval(c.Args[0], x, y)),
            Fn.Sign => System.Math.Sign(Eval(c.Args[0], x, y)),
            Fn.Square => System.Math.Pow(Eval(c.Args[0], x, y), 2),
            Fn.Pow => System.Math.Pow(Eval(c.Args[0], x, y), Eval(c.Args[1], x, y)),
            Fn.Sigmoid => 1 / (1 + System.Math.Exp(-Eval(c.Args[0], x, y))),
            Fn.Softplus => System.Math.Log(1 + System.Math.Exp(Eval(c.Args[0], x, y))),
            Fn.Relu => System.Math.Max(0, Eval(c.Args[0], x, y)),
            Fn.Step => Eval(c.Args[0], x, y) > 0 ? 1 : 0,
            _ => throw new InvalidOperationException(c.Function.ToString()),
        },
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    static readonly Dictionary<string, Expr> Cases = new()
    {
        ["product"] = Mul(Mul(X, X), Y),
        ["quotient"] = Div(Call(Fn.Sin, X), Add(Lit(2), Mul(X, X))),
        ["chain sin∘exp"] = Call(Fn.Sin, Call(Fn.Exp, Mul(K, X))),
        ["cos, tan"] = Add(Call(Fn.Cos, Mul(X, Y)), Call(Fn.Tan, Div(X, Lit(3)))),
        ["sinh, cosh"] = Mul(Call(Fn.Sinh, X), Call(Fn.Cosh, Y)),
        ["tanh"] = Call(Fn.Tanh, Mul(Lit(3), X)),
        ["log, sqrt"] = Add(Call(Fn.Log, Add(Lit(2), X)), Call(Fn.Sqrt, Add(Lit(1), Mul(X, X)))),
        ["pow constant exponent"] = Call(Fn.Pow, Add(X, Lit(2)), Lit(3.5)),
        ["pow variable exponent"] = Call(Fn.Pow, Add(Lit(2), Mul(X, X)), Y),
        ["square, abs"] = Add(Call(Fn.Square, Add(X, Y)), Call(Fn.Abs, Add(X, Lit(0.25)))),
        ["sigmoid, softplus, relu"] = Add(Add(Call(Fn.Sigmoid, X), Call(Fn.Softplus, Mul(X, Y))), Call(Fn.Relu, Add(X, Lit(0.5)))),
        ["negation, subtraction"] = new Negate(new Binary(BinaryOp.Subtract, Mul(X, Y), Call(Fn.Exp, X))),
    };

    public static TheoryData<string> Expressions => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Expressions))]
    public void DerivativeMatchesCentralDifferences(string name)
    {
        var e = Cases[name];
        foreach (var variable in new[] { X, Y })
        {
            var d = D(e, variable);
            foreach (var (x, y) in new[] { (0.3, 0.8), (-0.4, 1.3), (0.9, -0.2) })
            {
                const double h = 1e-6;
                double numeric = variable == X
                    ? (Eval(e, x + h, y) - Eval(e, x - h, y)) / (2 * h)
                    : (Eval(e, x, y + h) - Eval(e, x, y - h)) / (2 * h);
                // Central differences: truncation ~h² and rounding ~1e-16/h = 1e-10; 1e-6 relative is safe.
                Assert.True(System.Math.Abs(Eval(d, x, y) - numeric) <= 1e-6 * System.Math.Max(1, System.Math.Abs(numeric)),
                    $"{name}: d/d{variable.Name} at ({x}, {y}) = {Eval(d, x, y)}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void ConstantTermsDifferentiateToLiteralZero()
    {
        Assert.Equal(Build.Zero, D(Mul(K, Call(Fn.Sin, Y)), X));
        Assert.Equal(Build.Zero, D(Lit(4), X));
        Assert.Equal(Build.Zero, D(Ref.Time("t"), X));
    }

    [Fact]
    public void ZeroAndOneTermsAreSimplifiedAway()
    {
        Assert.Equal(Build.One, D(X, X));
        Assert.Equal(K, D(Mul(K, X), X));                       // k·1 + x·0 → k
        Assert.Equal(new Literal(3), D(Add(Mul(Lit(3), X), Y), X));
        Assert.Equal(Call(Fn.Cos, X), D(Call(Fn.Sin, X), X));   // cos(x)·1 → cos(x)
        Assert.Equal(new Negate(Call(Fn.Sin, X)), D(Call(Fn.Cos, X), X));
    }

    [Fact]
    public void NetworkOutputsExpandThroughInputGradients()
    {
        var call = new NeuralCall("V", EquatableArray.Of<Expr>(X, Mul(X, Y)), 1);
        var d = D(new Slice(call, 0, 1, true), X);
        // ∂V/∂in0 · 1 + ∂V/∂in1 · y
        var gradient = new NeuralInputGradient(call, 0);
        var expected = Build.Add(new Slice(gradient, 0, 1, true), Build.Multiply(new Slice(gradient, 1, 1, true), Y));
        Assert.Equal(expected, d);
    }

    [Fact]
    public void WholeNetworkVectorIsReportedAsNotDifferentiable()
    {
        var call = new NeuralCall("N", EquatableArray.Of<Expr>(X), 2);
        Assert.Null(Derivative.Of(Call(Fn.Sum, call), X, out var reason));
        Assert.Contains("components", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BuilderFoldsLiterals()
    {
        Assert.Equal(new Literal(6), Build.Multiply(Lit(2), Lit(3)));
        Assert.Equal(X, Build.Add(Build.Zero, X));
        Assert.Equal(X, Build.Negate(Build.Negate(X)));
        Assert.Equal(Build.Zero, Build.Multiply(X, Build.Zero));
        Assert.Equal(X, Build.Call(Fn.Pow, X, Build.One));
    }
}
