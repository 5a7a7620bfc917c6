using System.CommandLine;

namespace NodeDsl.Examples;

/// <summary>
/// The command line every example shares: <c>--quick</c> (where the example trains), <c>--output DIR</c>, <c>--help</c>,
/// then the example's own options.
/// </summary>
/// <remarks>
/// Precedence: <c>--quick</c> picks the example's short preset for every setting the user did not give; an option given
/// on the command line always wins, whether it stands before or after <c>--quick</c>. Options are read by name, never by
/// position, and there are no positional arguments: anything unknown is an error (exit code 1) with a message.
/// </remarks>
/// <typeparam name="TOptions">The example's settings record.</typeparam>
public sealed class ExampleCommand<TOptions>
{
    readonly RootCommand root;
    readonly Option<bool>? quick;
    readonly Option<string> output;
    readonly Func<ExampleArguments, TOptions> read;

    /// <summary>Declares an example's command line.</summary>
    /// <param name="description">What the example does (first line of <c>--help</c>).</param>
    /// <param name="defaultOutput">Output folder when <c>--output</c> is not given.</param>
    /// <param name="quickDescription">What <c>--quick</c> shortens; null for an example that does not train (no <c>--quick</c>).</param>
    /// <param name="options">The example's own options.</param>
    /// <param name="read">Builds the settings from the parsed arguments.</param>
    public ExampleCommand(string description, string defaultOutput, string? quickDescription, IEnumerable<Option> options,
        Func<ExampleArguments, TOptions> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultOutput);
        ArgumentNullException.ThrowIfNull(options);
        this.read = read ?? throw new ArgumentNullException(nameof(read));
        root = new RootCommand(description);
        if (quickDescription is not null)
        {
            quick = new Option<bool>("--quick") { Description = quickDescription + " Options you give yourself win over --quick, before or after it." };
            root.Options.Add(quick);
        }
        output = new Option<string>("--output", "-o")
        {
            Description = "Folder for the PNGs and CSV files (created if missing).",
            HelpName = "DIR",
            DefaultValueFactory = _ => defaultOutput,
        };
        output.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>())) r.AddError("--output needs a folder name.");
        });
        root.Options.Add(output);
        foreach (var option in options) root.Options.Add(option);
    }

    /// <summary>The underlying command (for its help text and options).</summary>
    public RootCommand Root => root;

    /// <summary>
    /// Parses <paramref name="args"/> and runs <paramref name="run"/> with the settings; prints help for <c>--help</c> (exit
    /// code 0) or the parse errors (exit code 1) instead.
    /// </summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="run">The example itself; returns the exit code.</param>
    /// <param name="output">Where help goes (the console when null).</param>
    /// <param name="error">Where error messages go (the console when null).</param>
    public int Run(string[] args, Func<TOptions, int> run, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = root.Parse(args);
        // The root command has no action of its own: a parse result without one is a valid request to run the example.
        if (result.Errors.Count == 0 && result.Action is null) return run(Read(result));
        return result.Invoke(new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error });
    }

    /// <summary>The settings <paramref name="args"/> ask for (for tests); throws <see cref="ArgumentException"/> with the parser's messages when they are invalid.</summary>
    public TOptions Parse(params string[] args)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        return Read(result);
    }

    TOptions Read(ParseResult result) => read(new ExampleArguments(result, quick is not null && result.GetValue(quick), Path.GetFullPath(result.GetValue(output)!)));
}

/// <summary>What an example's command line asked for.</summary>
/// <param name="Result">The parse result; read the example's own options with <see cref="Get{T}"/>.</param>
/// <param name="Quick">Whether <c>--quick</c> was given.</param>
/// <param name="OutputDirectory">The output folder, as a full path.</param>
public sealed record ExampleArguments(ParseResult Result, bool Quick, string OutputDirectory)
{
    /// <summary>The value of <paramref name="option"/>: null (for nullable options) when it was not given.</summary>
    public T? Get<T>(Option<T> option) => Result.GetValue(option);
}
