using System.Globalization;
using Spectre.Console;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// The console display of a training run: a Spectre.Console progress bar with the latest losses. Set it as
/// <see cref="TrainerOptions.Progress"/>, usually through <see cref="When"/> so that redirected output (logs, CI, tests)
/// never fills with control codes.
/// </summary>
public sealed class ConsoleProgress : ITrainingProgress
{
    /// <summary>
    /// A display when <paramref name="show"/> is true, or, when it is null, when the console is interactive (output not
    /// redirected); otherwise null (no display).
    /// </summary>
    public static ITrainingProgress? When(bool? show) => show ?? !Console.IsOutputRedirected ? new ConsoleProgress() : null;

    /// <inheritdoc />
    public TrainingResult Run(int firstEpoch, int epochs, Func<Action<EpochMetrics>, TrainingResult> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        TrainingResult result = null!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: epochs);
                task.Value = firstEpoch;
                result = training(m =>
                {
                    task.Value = m.Epoch + 1;
                    task.Description = Describe(m);
                });
            });
        return result;
    }

    static string Describe(EpochMetrics m)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"epoch {m.Epoch + 1} loss {m.Loss:G4}");
        if (m.ValidationLoss is { } v) text += string.Create(CultureInfo.InvariantCulture, $" val {v:G4}");
        text += string.Create(CultureInfo.InvariantCulture, $" nfe {m.ForwardEvaluations} {m.Seconds:F2}s");
        return Markup.Escape(text);
    }
}
