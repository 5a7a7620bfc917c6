using System.CommandLine;
using NodeDsl.Examples;

namespace SolverComparison;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class ComparisonCommandLine
{
    static readonly ComparisonOptions Defaults = new() { ShowProgress = null };
    static readonly ComparisonOptions Quick = ComparisonOptions.Quick(Defaults.OutputDirectory) with { ShowProgress = null };

    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Training epochs per configuration (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<double?> LearningRate = ExampleOptions.Positive("--lr", $"Adam learning rate (default {Defaults.LearningRate}).", "RATE");
    static readonly Option<bool> Checkpointed = ExampleOptions.Flag("--checkpointed", "Add a row group for the checkpointed adjoint.");
    static readonly Option<string[]?> SolverNames = new("--solvers")
    {
        Description = $"Comma-separated solver names (default {string.Join(',', Defaults.Solvers)}); any name of Solvers.ByName.",
        HelpName = "euler,rk4,...",
        CustomParser = r =>
        {
            var names = r.Tokens[^1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            try
            {
                if (names.Length > 0) return names.Select(n => NodeDsl.Runtime.Solvers.ByName(n).Name).ToArray();
                r.AddError("--solvers takes a comma-separated list of solver names.");
            }
            catch (ArgumentException e) { r.AddError($"--solvers: {e.Message}"); }
            return null;
        },
    };
    static readonly Option<string?> DataSpacing = ExampleOptions.Choice("--spacing", "Only this data spacing (default: both).", "even", "irregular");
    static readonly Option<double?> FixedStep = ExampleOptions.Positive("--fixed-step", "Step of the fixed-step solvers (default: the mean data spacing).", "H");
    static readonly Option<double?> RelativeTolerance = ExampleOptions.Positive("--rtol", $"Relative tolerance of the adaptive solvers (default {Defaults.RelativeTolerance}).", "R");
    static readonly Option<double?> AbsoluteTolerance = ExampleOptions.Positive("--atol", $"Absolute tolerance of the adaptive solvers (default {Defaults.AbsoluteTolerance}).", "A");
    static readonly Option<long?> Seed = ExampleOptions.Seed();

    /// <summary>SolverComparison [--quick] [--output DIR] [--epochs N] [--lr RATE] [--checkpointed] [--solvers LIST] [--spacing even|irregular] [--fixed-step H] [--rtol R] [--atol A] [--seed S].</summary>
    public static ExampleCommand<ComparisonOptions> Command { get; } = new(
        "The classic solver study for the spiral NODE dh/dt = MLP(h³): training time, time per epoch, MSE and max NFE for " +
        "Euler, RK4, Bogacki–Shampine and Dormand–Prince × direct backprop and adjoint × even and irregular data.",
        Defaults.OutputDirectory,
        $"Short training: {Quick.Epochs} epochs of {Quick.BatchSize} windows per configuration instead of {Defaults.Epochs} of {Defaults.BatchSize}; every configuration still runs.",
        [Epochs, LearningRate, Checkpointed, SolverNames, DataSpacing, FixedStep, RelativeTolerance, AbsoluteTolerance, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with
            {
                Epochs = a.Get(Epochs) ?? o.Epochs,
                LearningRate = a.Get(LearningRate) ?? o.LearningRate,
                Gradients = a.Get(Checkpointed) ? [GradientKind.Direct, GradientKind.Adjoint, GradientKind.Checkpointed] : o.Gradients,
                Solvers = a.Get(SolverNames) is { Length: > 0 } solvers ? solvers : o.Solvers,   // an absent array option reads as []
                Spacings = a.Get(DataSpacing) is { } s ? [Enum.Parse<Spacing>(s, ignoreCase: true)] : o.Spacings,
                FixedStep = a.Get(FixedStep) ?? o.FixedStep,
                RelativeTolerance = a.Get(RelativeTolerance) ?? o.RelativeTolerance,
                AbsoluteTolerance = a.Get(AbsoluteTolerance) ?? o.AbsoluteTolerance,
                Seed = a.Get(Seed) ?? o.Seed,
            };
        });
}
