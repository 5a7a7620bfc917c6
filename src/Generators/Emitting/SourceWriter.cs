using System.Text;

namespace NodeDsl.Generators.Emitting;

/// <summary>A minimal indenting text writer for generated source (four spaces, '\n' line ends).</summary>
internal sealed class SourceWriter
{
    readonly StringBuilder text = new();
    int indent;

    public void Indent() => indent++;

    public void Unindent() => indent--;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0) text.Append(' ', indent * 4).Append(line);
        text.Append('\n');
    }

    public void OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        indent--;
        WriteLine("}" + suffix);
    }

    /// <summary>A one-line generated member: its doc summary, [GeneratedCode], the declaration and a blank line.</summary>
    public void Member(string summary, string declaration)
    {
        WriteLine($"/// <summary>{summary}</summary>");
        WriteLine(Names.GeneratedCode);
        WriteLine(declaration);
        WriteLine();
    }

    public override string ToString() => text.ToString();
}
