namespace NodeDsl.Generators.Parsing;

/// <summary>A model field with its role, as the translator resolves identifiers against it.</summary>
internal sealed record MemberRef(MemberKind Kind, string Name, Shape Shape, double? ConstantValue);

/// <summary>A state field as declared, before the layout places it (the symbol stays inside the parse).</summary>
internal sealed record StateField(IFieldSymbol Field, StateRole Role, Shape Shape);

/// <summary>
/// A neural partial method as declared: parameters, return and the module behind it. Immutable; the Vec sizes and output
/// widths that its calls imply are inferred afterwards from the <see cref="NetworkUse"/>s (<see cref="NetworkShapes"/>).
/// </summary>
/// <param name="DeclaredOutputSize">Output width from the declaration (double: 1, tuple: its arity, Vec: OutputSize), or 0
/// for a Vec result without OutputSize, whose width is its input width (a vector field Rⁿ → Rⁿ).</param>
/// <param name="Modifiers">The declaration's modifiers other than <c>partial</c>, which the implementing part repeats.</param>
internal sealed record NeuralDeclaration(
    IMethodSymbol Method, string Modifiers, NetworkReturn Returns, IReadOnlyList<string> TupleNames, int DeclaredOutputSize, NetworkModule Module)
{
    /// <summary>The output width of a call with inputs of total width <paramref name="inputWidth"/>.</summary>
    public int OutputSize(int inputWidth) => DeclaredOutputSize > 0 ? DeclaredOutputSize : inputWidth;
}

/// <summary>One call of a network in a rate or energy body: the shape of each argument (in parameter order) and where it is.</summary>
internal sealed record NetworkUse(string Network, IReadOnlyList<Shape> Arguments, IReadOnlyList<Location> ArgumentLocations);

/// <summary>What identifiers in rate bodies can refer to.</summary>
internal sealed class ModelMembers
{
    public Dictionary<string, MemberRef> Fields { get; } = new();
    public Dictionary<string, NeuralDeclaration> Networks { get; } = new();
}
