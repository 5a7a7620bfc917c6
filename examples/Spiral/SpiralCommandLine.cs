using System.CommandLine;
using NodeDsl.Examples;

namespace Spiral;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class SpiralCommandLine
{
    static readonly SpiralOptions Defaults = new();
    static readonly SpiralOptions Quick = SpiralOptions.Quick(Defaults.OutputDirectory);
    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Training epochs, one Adam step each (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<double?> LearningRate = ExampleOptions.Positive("--lr", $"Adam learning rate (default {Defaults.LearningRate}).", "RATE");
    static readonly Option<int?> Window = ExampleOptions.Integer("--window", $"Points per training window (default {Defaults.WindowPoints}).", minimum: 2, helpName: "POINTS");
    static readonly Option<double?> Noise = ExampleOptions.Positive("--noise", "Standard deviation of the noise added to the observations (default 0).", "SIGMA", allowZero: true);
    static readonly Option<bool> NoSolvers = ExampleOptions.Flag("--no-solvers", "Skip the solver table (solvers.csv, errors.png) and only train.");

    /// <summary>Spiral [--quick] [--output DIR] [--epochs N] [--lr RATE] [--window POINTS] [--noise SIGMA] [--no-solvers].</summary>
    public static ExampleCommand<SpiralOptions> Command { get; } = new(
        "The README's main example: every solver on the true spiral (a table against a tight reference), then Chen et al.'s " +
        "neural-ODE demo dh/dt = MLP(h³) trained on random windows of the spiral.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Epochs} epochs instead of {Defaults.Epochs}; the solver table still runs.",
        [Epochs, LearningRate, Window, Noise, NoSolvers],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with
            {
                Epochs = a.Get(Epochs) ?? o.Epochs,
                LearningRate = a.Get(LearningRate) ?? o.LearningRate,
                WindowPoints = a.Get(Window) ?? o.WindowPoints,
                Noise = a.Get(Noise) ?? o.Noise,
                SolverTable = !a.Get(NoSolvers),
            };
        });
}
