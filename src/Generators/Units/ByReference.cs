namespace NodeDsl.Generators.Units;

/// <summary>
/// Compares IR nodes by identity: the translator creates one node per piece of source, so identity tells the
/// sub-expression written at one place from an equal one written elsewhere (value equality would merge them).
/// </summary>
internal sealed class ByReference : IEqualityComparer<Expr>
{
    public static ByReference Instance { get; } = new();

    public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

    public int GetHashCode(Expr obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
