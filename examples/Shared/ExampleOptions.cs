using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NodeDsl.Examples;

/// <summary>
/// Option factories for the examples' own settings. Value options are nullable: null means "not given", so the example
/// keeps its default (or its <c>--quick</c> preset). Numbers use the invariant culture; a bad value is a parse error
/// whose message names the option and what it takes.
/// </summary>
public static class ExampleOptions
{
    /// <summary>A whole number of at least <paramref name="minimum"/>, e.g. <c>--epochs 200</c>.</summary>
    public static Option<int?> Integer(string name, string description, int minimum = 1, string helpName = "N")
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r => int.TryParse(Token(r), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= minimum
                ? v
                : Fail<int>(r, $"{name} takes a whole number of at least {minimum}, not '{Token(r)}'."),
        };

    /// <summary>A finite number greater than zero (or at least zero with <paramref name="allowZero"/>), e.g. <c>--lr 0.01</c>.</summary>
    public static Option<double?> Positive(string name, string description, string helpName = "X", bool allowZero = false)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r => double.TryParse(Token(r), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                                && double.IsFinite(v) && (v > 0 || (allowZero && v == 0))
                ? v
                : Fail<double>(r, $"{name} takes a finite number {(allowZero ? "of at least 0" : "greater than 0")}, not '{Token(r)}'."),
        };

    /// <summary>A whole number (any sign), e.g. <c>--seed 7</c>.</summary>
    public static Option<long?> Seed(string description = "Seed of the data, the initial weights and the batches.")
        => new("--seed")
        {
            Description = description,
            HelpName = "S",
            CustomParser = r => long.TryParse(Token(r), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
                ? v
                : Fail<long>(r, $"--seed takes a whole number, not '{Token(r)}'."),
        };

    /// <summary>One of <paramref name="choices"/>, e.g. <c>--task pendulum</c>.</summary>
    public static Option<string?> Choice(string name, string description, params string[] choices)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join('|', choices) };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    /// <summary>Free text, e.g. a file path.</summary>
    public static Option<string?> Text(string name, string description, string helpName)
        => new(name) { Description = description, HelpName = helpName };

    /// <summary>A switch without a value, e.g. <c>--no-solvers</c>.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    static string Token(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    static T? Fail<T>(ArgumentResult r, string message) where T : struct
    {
        r.AddError(message);
        return null;
    }
}
