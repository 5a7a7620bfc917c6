using System.Globalization;

namespace Spiral;

/// <summary>Parses the example's few options (no dependency needed for four flags).</summary>
public static class SpiralCommandLine
{
    public const string Usage = "Usage: Spiral [--quick] [--epochs N] [--lr RATE] [--window POINTS] [--noise SIGMA] [--no-solvers] [OUTPUT_DIR]";

    public static bool TryParse(string[] args, out SpiralOptions options, out string? error)
    {
        options = new SpiralOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": options = SpiralOptions.Quick(options.OutputDirectory) with { ShowProgress = null }; break;
                case "--no-solvers": options = options with { SolverTable = false }; break;
                case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int epochs) && epochs > 0:
                    options = options with { Epochs = epochs }; i++; break;
                case "--lr" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out double lr) && lr > 0:
                    options = options with { LearningRate = lr }; i++; break;
                case "--window" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int window) && window >= 2:
                    options = options with { WindowPoints = window }; i++; break;
                case "--noise" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out double noise) && noise >= 0:
                    options = options with { Noise = noise }; i++; break;
                case "-h" or "--help": error = "Help requested."; return false;
                default:
                    if (args[i].StartsWith('-')) { error = $"Unknown or incomplete option '{args[i]}'."; return false; }
                    options = options with { OutputDirectory = args[i] };
                    break;
            }
        }
        return true;
    }
}
