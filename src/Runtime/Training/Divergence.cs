using System.Globalization;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// Builds the <see cref="TrainingDivergedException"/>s of one epoch: where it happened, what the model now holds and what
/// to change (learning rate, gradient clipping, data scaling), in one place so every case says it the same way.
/// </summary>
internal sealed class Divergence(TrainerOptions options, int epoch, int batches, double learningRate)
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Loss, gradients or weights were not finite at batch <paramref name="batch"/> (null: after the batches).</summary>
    public TrainingDivergedException NonFinite(int? batch, StepGuard.Reading reading, double largestObservation, Func<bool, string?> firstNonFinite)
    {
        DivergenceKind kind;
        string what;
        if (!double.IsFinite(reading.WeightNorm))
        {
            // Checked first: weights made non-finite by the previous step are the cause of any non-finite loss after them.
            kind = DivergenceKind.NonFiniteWeights;
            what = firstNonFinite(false) is { } name
                ? $"the last optimizer step made the weight '{name}' non-finite"
                : "the last optimizer step made the weights' norm overflow";
        }
        else if (!double.IsFinite(reading.Total))
        {
            kind = DivergenceKind.NonFiniteLoss;
            what = reading.Regularizer == 0
                ? F($"the loss is {reading.Total:G6}")
                : F($"the loss is {reading.Total:G6} (data loss {reading.DataLoss:G6}, regularisers {reading.Regularizer:G6})");
        }
        else
        {
            kind = DivergenceKind.NonFiniteGradient;
            what = firstNonFinite(true) is { } name
                ? $"the gradient of '{name}' is not finite (loss {F($"{reading.Total:G6}")})"
                : F($"the global gradient norm overflows (loss {reading.Total:G6})");
        }
        string data = double.IsFinite(largestObservation) && largestObservation > 1e6
            ? F($" The largest |observation| in the batch is {largestObservation:G3}: rescale the data (e.g. divide each state by its standard deviation) first.")
            : "";
        return new TrainingDivergedException(kind, epoch, batch, epoch, $"{Where(batch)}: {what}.{Kept()}{data} {Advice()}");
    }

    /// <summary>A solve needed more than <paramref name="budget"/> steps (the <see cref="RunawayDetection"/> budget).</summary>
    public TrainingDivergedException Runaway(int? batch, int budget, double duration, double rate, MaxStepsExceededException inner)
    {
        var r = options.Runaway!;
        string message = F($"{Where(batch)}: the {(batch is null ? "validation" : "training")} solve needed more than {budget} steps over {duration:G4} time units, ") +
            F($"{r.StepFactor:G3} times the most steps per unit time of any earlier batch ({rate:G4}): the dynamics have run away.{Kept()} {Advice()} ") +
            "If the model legitimately became this stiff, raise TrainerOptions.Runaway.StepFactor (or set Runaway = null) or use an implicit solver (Kvaerno5).";
        return new TrainingDivergedException(DivergenceKind.RunawayDynamics, epoch, batch, epoch, message, inner);
    }

    /// <summary>A solve failed after the run had already changed the weights.</summary>
    public TrainingDivergedException SolverFailure(int? batch, OdeSolverException inner)
        => new(DivergenceKind.SolverFailure, epoch, batch, epoch,
            $"{Where(batch)}: a {(batch is null ? "validation" : "training")} solve failed after the weights had started to change, " +
            $"which usually means training diverged ({inner.GetType().Name}: {inner.Message}){Kept()} {Advice()}", inner);

    string Where(int? batch) => batch is { } b
        ? F($"Training diverged in epoch {epoch + 1}, batch {b + 1} of {batches}")
        : F($"Training diverged in epoch {epoch + 1}, after its {batches} batches");

    string Kept()
    {
        string weights = epoch == 0 ? "its initial weights" : F($"the weights it had after epoch {epoch}");
        string checkpoint = options.CheckpointPath is { } path ? $"; the checkpoint '{path}' was not overwritten" : "";
        return $" Nothing of this epoch was kept: the model holds {weights}{checkpoint}.";
    }

    string Advice()
    {
        string clip = options.GradientClipNorm is { } c
            ? F($"lower TrainerOptions.GradientClipNorm (now {c:G3})")
            : "set TrainerOptions.GradientClipNorm (e.g. 1.0) to bound each step";
        return F($"Lower the learning rate (now {learningRate:G3}), {clip}, and check that the data are scaled to order 1.");
    }

    static string F(FormattableString s) => s.ToString(Inv);
}
