using Microsoft.CodeAnalysis.Text;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>A test source with one expected diagnostic span marked as <c>[|…|]</c>.</summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    public static MarkedSource Parse(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start) throw new ArgumentException("Mark the expected span with [| and |].", nameof(marked));
        var text = marked.Remove(end, 2).Remove(start, 2);
        return new MarkedSource(text, TextSpan.FromBounds(start, end - 2));
    }
}
