namespace NodeDsl.Generators.Parsing;

/// <summary>What a translated C# expression denotes: one IR expression or a tuple of them.</summary>
internal abstract class Value;

/// <summary>A scalar or vector value.</summary>
internal sealed class ExprValue(Expr expr) : Value
{
    public Expr Expr { get; } = expr;
}

/// <summary>A tuple (from a neural method or a tuple literal); <see cref="Names"/> holds element names where known.</summary>
internal sealed class TupleValue(IReadOnlyList<Expr> elements, IReadOnlyList<string?> names) : Value
{
    public IReadOnlyList<Expr> Elements { get; } = elements;
    public IReadOnlyList<string?> Names { get; } = names;
}

/// <summary>
/// The translation of a rate or energy body: its value (null after a reported error), its network calls, and where each
/// IR node was written (by node identity; the unit checker reports there).
/// </summary>
internal sealed record BodyTranslation(Value? Value, IReadOnlyList<NetworkUse> Uses, IReadOnlyDictionary<Expr, SyntaxNode>? Origins = null);
