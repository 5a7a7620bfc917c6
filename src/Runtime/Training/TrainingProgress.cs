using System.Globalization;
using Spectre.Console;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// The console display of a run: a Spectre.Console progress bar with the latest losses when the console is
/// interactive, nothing when output is redirected (logs, CI, tests), so files never fill with control codes.
/// </summary>
internal static class TrainingProgress
{
    /// <summary>True when a live display makes sense: <paramref name="requested"/> or, when null, an interactive console.</summary>
    public static bool ShouldShow(bool? requested) => requested ?? !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="body"/> with a reporter; the reporter is a no-op when the display is off.</summary>
    public static T Run<T>(bool show, int firstEpoch, int epochs, Func<Action<EpochMetrics>, T> body)
    {
        if (!show) return body(_ => { });
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: epochs);
                task.Value = firstEpoch;
                result = body(m =>
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
