using System.Globalization;

namespace SolverComparison;

/// <summary>Parses the example's few options.</summary>
public static class ComparisonCommandLine
{
    /// <summary>One line of help.</summary>
    public const string Usage =
        "Usage: SolverComparison [--quick] [--epochs N] [--lr RATE] [--checkpointed] [--solvers euler,rk4,...] [--spacing even|irregular] " +
        "[--fixed-step H] [--rtol R] [--atol A] [--seed S] [OUTPUT_DIR]";

    /// <summary>Reads <paramref name="args"/>; false with a message when an option is unknown or incomplete.</summary>
    public static bool TryParse(string[] args, out ComparisonOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new ComparisonOptions { ShowProgress = null };
        error = null;
        int? epochs = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--quick": options = ComparisonOptions.Quick(options.OutputDirectory) with { Gradients = options.Gradients, ShowProgress = false }; break;
                case "--checkpointed": options = options with { Gradients = [GradientKind.Direct, GradientKind.Adjoint, GradientKind.Checkpointed] }; break;
                case "--epochs" when int.TryParse(next, CultureInfo.InvariantCulture, out int e) && e > 0: epochs = e; i++; break;
                case "--lr" when Positive(next, out double lr): options = options with { LearningRate = lr }; i++; break;
                case "--solvers" when next is not null && KnownSolvers(next) is { } solvers: options = options with { Solvers = solvers }; i++; break;
                case "--spacing" when Enum.TryParse<Spacing>(next, ignoreCase: true, out var spacing): options = options with { Spacings = [spacing] }; i++; break;
                case "--fixed-step" when Positive(next, out double h): options = options with { FixedStep = h }; i++; break;
                case "--rtol" when Positive(next, out double r): options = options with { RelativeTolerance = r }; i++; break;
                case "--atol" when Positive(next, out double a): options = options with { AbsoluteTolerance = a }; i++; break;
                case "--seed" when long.TryParse(next, CultureInfo.InvariantCulture, out long s): options = options with { Seed = s }; i++; break;
                case "-h" or "--help": error = "Help requested."; return false;
                default:
                    if (args[i].StartsWith('-')) { error = $"Unknown or incomplete option '{args[i]}'."; return false; }
                    options = options with { OutputDirectory = args[i] };
                    break;
            }
        }
        if (epochs is { } n) options = options with { Epochs = n };
        return true;
    }

    static string[]? KnownSolvers(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try { return names.Length == 0 ? null : names.Select(n => NodeDsl.Runtime.Solvers.ByName(n).Name).ToArray(); }
        catch (ArgumentException) { return null; }
    }

    static bool Positive(string? text, out double value)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && double.IsFinite(value);
}
