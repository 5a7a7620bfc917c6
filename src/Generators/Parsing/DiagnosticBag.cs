namespace NodeDsl.Generators.Parsing;

/// <summary>Collects diagnostics while parsing one model.</summary>
internal sealed class DiagnosticBag
{
    readonly List<DiagnosticInfo> items = new();

    public bool HasErrors => items.Count > 0;

    public void Add(DiagnosticDescriptor descriptor, Location? location, params string[] args)
        => items.Add(new DiagnosticInfo(descriptor.Id, LocationInfo.From(location), args.ToEquatableArray()));

    public void Add(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] args) => Add(descriptor, node.GetLocation(), args);

    public void Add(DiagnosticDescriptor descriptor, SyntaxToken token, params string[] args) => Add(descriptor, token.GetLocation(), args);

    public EquatableArray<DiagnosticInfo> ToEquatableArray() => items.ToEquatableArray();
}
