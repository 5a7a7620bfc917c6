namespace NodeDsl.Generators.Model;

/// <summary>
/// The expression IR of rate and energy bodies: symbol-free records with value equality, so equal
/// sub-expressions are found by a dictionary lookup (common sub-expression elimination in the emitters).
/// </summary>
internal abstract record Expr
{
    /// <summary>A double or a Vec, and its width.</summary>
    public abstract Shape Shape { get; }

    public bool IsVector => Shape.IsVector;

    /// <summary>Number of columns it occupies in a tensor (a scalar takes one).</summary>
    public int Width => Shape.Width;
}

/// <summary>A numeric literal or compile-time constant.</summary>
internal sealed record Literal(double Value) : Expr
{
    public override Shape Shape => Shape.Scalar;
}

/// <summary>What a <see cref="Ref"/> names.</summary>
internal enum MemberKind { State, Parameter, Constant, Time, Input }

/// <summary>A model member: state, learnable parameter, constant field, time or input.</summary>
internal sealed record Ref(MemberKind Kind, string Name, Shape Shape) : Expr
{
    public override Shape Shape { get; } = Shape;

    /// <summary>The model's [Time] field.</summary>
    public static Ref Time(string name) => new(MemberKind.Time, name, Shape.Scalar);
}

/// <summary>Negation.</summary>
internal sealed record Negate(Expr Operand) : Expr
{
    public override Shape Shape => Operand.Shape;
}

internal enum BinaryOp { Add, Subtract, Multiply, Divide }

/// <summary>Elementwise arithmetic; a scalar operand broadcasts over a vector one.</summary>
internal sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr
{
    public override Shape Shape => Shape.Broadcast(Left.Shape, Right.Shape);
}

/// <summary>Functions of the DSL (NodeDsl.DslMath) plus <see cref="Step"/>, the Heaviside step used by derivatives.</summary>
internal enum Fn { Sin, Cos, Tan, Sinh, Cosh, Tanh, Exp, Log, Sqrt, Abs, Sign, Square, Pow, Sigmoid, Softplus, Relu, Sum, Step }

/// <summary>A function call; elementwise except <see cref="Fn.Sum"/>.</summary>
internal sealed record Call(Fn Function, EquatableArray<Expr> Args) : Expr
{
    public override Shape Shape => Function == Fn.Sum ? Shape.Scalar : Args.Select(a => a.Shape).Aggregate(Shape.Broadcast);
}

/// <summary>A network applied to its arguments concatenated: always a vector of <see cref="OutputSize"/> columns.</summary>
internal sealed record NeuralCall(string Network, EquatableArray<Expr> Args, int OutputSize) : Expr
{
    public override Shape Shape => Shape.Vector(OutputSize);

    /// <summary>The network input: the arguments side by side.</summary>
    public Concat Input => new(Args);
}

/// <summary>∂ output[<see cref="Output"/>] / ∂ input of a network call: a vector of the input width.</summary>
internal sealed record NeuralInputGradient(NeuralCall Call, int Output) : Expr
{
    public override Shape Shape => Shape.Vector(Call.Args.Sum(a => a.Width));
}

/// <summary>Columns <c>Start .. Start + Length</c> of a vector; a scalar when <see cref="Scalar"/>.</summary>
internal sealed record Slice(Expr Source, int Start, int Length, bool Scalar) : Expr
{
    public override Shape Shape => Scalar ? Shape.Scalar : Shape.Vector(Length);
}

/// <summary>Scalars and vectors side by side.</summary>
internal sealed record Concat(EquatableArray<Expr> Parts) : Expr
{
    public override Shape Shape => Shape.Vector(Parts.Sum(p => p.Width));
}
