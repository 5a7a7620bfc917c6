using System.IO;

namespace NodeDsl.Generators.Parsing;

/// <summary>
/// Decides whether a model's declaration can be read at all, before any rule is checked: code generated from a
/// half-parsed class only adds errors inside generated files, and a model marked twice must not be emitted twice.
/// </summary>
internal static class DeclarationCheck
{
    /// <summary>
    /// False when a declaration of the model has a syntax error anywhere in it, or a declaration around it (containing
    /// type or namespace) has one in its header. The compiler already reports that error; the generator stays silent.
    /// Errors elsewhere (another class, a sibling member of a containing class) do not matter.
    /// </summary>
    public static bool IsTrusted(INamedTypeSymbol type, CancellationToken cancellation)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellation) is not TypeDeclarationSyntax declaration) return false;
            if (declaration.Identifier.IsMissing || HasErrors(declaration)) return false;
            for (var parent = declaration.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case TypeDeclarationSyntax container when HeaderHasErrors(container, container.OpenBraceToken):
                    case BaseNamespaceDeclarationSyntax ns when HasErrors(ns.Name) || NamespaceHeaderHasErrors(ns):
                        return false;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// A model marked with its attribute more than once (two partial declarations each carrying [OdeModel], as when a
    /// model is copied): the first declaration's parse reports NODE019 at every later attribute, the others report
    /// nothing, and no code is emitted. Null when the model is marked once.
    /// </summary>
    public static ParseResult? Duplicates(INamedTypeSymbol type, SyntaxNode target, string attributeName, CancellationToken cancellation)
    {
        var marks = type.GetAttributes()
            .Where(a => SymbolNames.FullName(a.AttributeClass) == attributeName && a.ApplicationSyntaxReference is not null)
            .Select(a => a.ApplicationSyntaxReference!.GetSyntax(cancellation))
            .ToList();
        if (marks.Count < 2) return null;
        var primary = marks[0].FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (primary is null || primary.SyntaxTree != target.SyntaxTree || primary.SpanStart != target.SpanStart) return ParseResult.Nothing;
        var first = marks[0].GetLocation().GetLineSpan();
        var firstAt = Path.GetFileName(first.Path) + " line " + (first.StartLinePosition.Line + 1).ToString(CultureInfo.InvariantCulture);
        var shortName = attributeName.Substring("NodeDsl.".Length, attributeName.Length - "NodeDsl.".Length - "Attribute".Length);
        var diagnostics = marks.Skip(1).Select(mark => new DiagnosticInfo(DiagnosticDescriptors.DuplicateModel.Id, LocationInfo.From(mark),
            EquatableArray.Of(type.Name, shortName, firstAt)));
        return new ParseResult(null, null, diagnostics.ToEquatableArray());
    }

    /// <summary>A field or property declared twice (CS0102, e.g. a half-finished copy of the model): the compiler reports it.</summary>
    public static bool DeclaresAMemberTwice(INamedTypeSymbol type)
        => type.GetMembers().Where(m => m is IFieldSymbol or IPropertySymbol && !m.IsImplicitlyDeclared).GroupBy(m => m.Name).Any(g => g.Count() > 1);

    static bool HasErrors(SyntaxNode node)
        => node.ContainsDiagnostics && node.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    // Everything of a declaration before its members: attributes, modifiers, keyword, name, base list, '{'.
    static bool HeaderHasErrors(SyntaxNode declaration, SyntaxToken openBrace)
    {
        if (openBrace.IsMissing) return true;
        foreach (var part in declaration.ChildNodesAndTokens())
        {
            if (part.IsMissing || part.ContainsDiagnostics && part.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) return true;
            if (part == openBrace) break;
        }
        return false;
    }

    static bool NamespaceHeaderHasErrors(BaseNamespaceDeclarationSyntax ns) => ns switch
    {
        NamespaceDeclarationSyntax block => block.OpenBraceToken.IsMissing,
        FileScopedNamespaceDeclarationSyntax file => file.SemicolonToken.IsMissing,
        _ => false,
    };

    /// <summary>The model's generated file name: namespace, then containing types joined by '+', with generic arity (as in metadata names).</summary>
    public static string HintName(INamedTypeSymbol type)
    {
        var types = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType) types.Insert(0, t.MetadataName);
        var ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString() + ".";
        return ns + string.Join("+", types) + ".g.cs";
    }
}
