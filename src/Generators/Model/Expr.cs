using System;
using System.Linq;

namespace NodeDsl.Generators.Model;

/// <summary>
/// The expression IR of rate and energy bodies: symbol-free records with value equality, so equal
/// sub-expressions are found by a dictionary lookup (common sub-expression elimination in the emitters).
/// <see cref="Size"/> is 0 for a scalar and the component count for a vector.
/// </summary>
internal abstract record Expr
{
    public abstract int Size { get; }

    public bool IsVector => Size > 0;

    /// <summary>Number of columns it occupies in a tensor (a scalar takes one).</summary>
    public int Width => Math.Max(1, Size);
}

/// <summary>A numeric literal or compile-time constant.</summary>
internal sealed record Literal(double Value) : Expr
{
    public override int Size => 0;
}

/// <summary>What a <see cref="Ref"/> names.</summary>
internal enum MemberKind { State, Parameter, Constant, Time, Input }

/// <summary>A model member: state, learnable parameter, constant field, time or input.</summary>
internal sealed record Ref(MemberKind Kind, string Name, int VectorSize) : Expr
{
    public override int Size => VectorSize;
}

/// <summary>Negation.</summary>
internal sealed record Negate(Expr Operand) : Expr
{
    public override int Size => Operand.Size;
}

internal enum BinaryOp { Add, Subtract, Multiply, Divide }

/// <summary>Elementwise arithmetic; a scalar operand broadcasts over a vector one.</summary>
internal sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr
{
    public override int Size => Math.Max(Left.Size, Right.Size);
}

/// <summary>Functions of the DSL (NodeDsl.DslMath) plus <see cref="Step"/>, the Heaviside step used by derivatives.</summary>
internal enum Fn { Sin, Cos, Tan, Sinh, Cosh, Tanh, Exp, Log, Sqrt, Abs, Sign, Square, Pow, Sigmoid, Softplus, Relu, Sum, Step }

/// <summary>A function call; elementwise except <see cref="Fn.Sum"/>.</summary>
internal sealed record Call(Fn Function, EquatableArray<Expr> Args) : Expr
{
    public override int Size => Function == Fn.Sum ? 0 : Args.Max(a => a.Size);
}

/// <summary>A network applied to its arguments concatenated: always a vector of <see cref="OutputSize"/> columns.</summary>
internal sealed record NeuralCall(string Network, EquatableArray<Expr> Args, int OutputSize) : Expr
{
    public override int Size => OutputSize;

    /// <summary>The network input: the arguments side by side.</summary>
    public Concat Input => new(Args);
}

/// <summary>∂ output[<see cref="Output"/>] / ∂ input of a network call: a vector of the input width.</summary>
internal sealed record NeuralInputGradient(NeuralCall Call, int Output) : Expr
{
    public override int Size => Call.Args.Sum(a => a.Width);
}

/// <summary>Columns <c>Start .. Start + Length</c> of a vector; a scalar when <see cref="Scalar"/>.</summary>
internal sealed record Slice(Expr Source, int Start, int Length, bool Scalar) : Expr
{
    public override int Size => Scalar ? 0 : Length;
}

/// <summary>Scalars and vectors side by side.</summary>
internal sealed record Concat(EquatableArray<Expr> Parts) : Expr
{
    public override int Size => Parts.Sum(p => p.Width);
}
