using System.Diagnostics;
using NodeDsl.Runtime.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// Fits a model (a TorchSharp module that is an <see cref="IOdeSystem"/>, e.g. a generated <see cref="OdeModel"/>)
/// to trajectory data: batches from a sampler, one batched solve per batch, loss, backward, optimizer step; then
/// validation, metrics, progress, callbacks, early stopping and checkpoints once per epoch.
/// </summary>
/// <remarks>
/// <para>A run is a deterministic function of the seed, the data, the options and the initial weights: windows and
/// Hutchinson probes come from a <see cref="SeededRandom"/> and the learning rate is a function of the epoch; torch's
/// global generator is never used, so runs on other threads neither disturb it nor are disturbed by it. A checkpoint
/// captures all of it, so a run interrupted after epoch k and resumed ends with bit-identical weights (for Adam, AdamW
/// and SGD; see <see cref="TrainingCheckpoint"/> for L-BFGS).</para>
/// <para>A bad step never reaches the weights or a checkpoint: loss, gradients and weights are checked before every
/// optimizer step (one host read per batch), solves are held to a step budget (<see cref="TrainerOptions.Runaway"/>), and
/// when training diverges <see cref="Fit"/> restores the weights of the last completed epoch and throws a
/// <see cref="TrainingDivergedException"/> that says where and what to change.</para>
/// </remarks>
public sealed class Trainer
{
    readonly nn.Module module;
    readonly IOdeSystem system;

    /// <summary>Creates a trainer for <paramref name="model"/>, which must be an <see cref="IOdeSystem"/> with parameters.</summary>
    public Trainer(nn.Module model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        system = model as IOdeSystem ?? throw new ArgumentException($"The model {model.GetName()} does not implement IOdeSystem.", nameof(model));
        module = options.VelocityEncoder is { } encoder ? new ModelWithEncoder(model, encoder, system, options) : model;
        Options = options;
        var first = model.parameters().FirstOrDefault() ?? throw new ArgumentException("The model has no parameters to train.", nameof(model));
        (DType, Device) = (first.dtype, first.device);
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }
    /// <summary>Element type of the model's parameters; data are converted to it.</summary>
    public ScalarType DType { get; }
    /// <summary>Device of the model's parameters; data are moved there.</summary>
    public Device Device { get; }

    /// <summary>Trains on <paramref name="train"/>, validating on <paramref name="validation"/> after every epoch.</summary>
    /// <exception cref="CheckpointException">Resuming from a checkpoint that is corrupt or does not fit the model.</exception>
    /// <exception cref="TrainingDivergedException">
    /// Loss, gradients or weights became non-finite, or the dynamics ran away; the model then holds the weights of the
    /// last completed epoch, and no checkpoint was written after it.
    /// </exception>
    public TrainingResult Fit(TrajectoryDataset train, TrajectoryDataset? validation = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("The training set has no trajectories.", nameof(train));
        if (validation is { Count: 0 }) validation = null;
        if (Options.EarlyStopping is not null && validation is null)
            throw new ArgumentException("Early stopping needs a validation set with at least one trajectory.", nameof(validation));
        var objective = Objective(train);
        using var optimizer = Options.Optimizer.Create(module.parameters());
        var run = RunState.Fresh(Options.Seed);
        if (Options.Resume && File.Exists(Options.CheckpointPath))
            run = RunState.From(Options.CheckpointPath!, module, optimizer);
        return Options.Progress is { } progress
            ? progress.Run(run.Epoch, Options.Epochs, report => Loop(train, validation, objective, optimizer, run, report))
            : Loop(train, validation, objective, optimizer, run, _ => { });
    }

    /// <summary>Mean data loss over whole trajectories (one batched solve, no gradients).</summary>
    public double Evaluate(TrajectoryDataset data) => Evaluate(data, null);

    // guard: inside Fit, validation solves keep to the run's step budget and their failures are explained.
    double Evaluate(TrajectoryDataset data, DivergenceGuard? guard)
    {
        ArgumentNullException.ThrowIfNull(data);
        var objective = Objective(data);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        using var batch = BatchBuilder.Build(data, BatchBuilder.Whole(data, Enumerable.Range(0, data.Count)), DType, Device);
        objective.MaxSteps = guard?.StepLimit(batch.Duration);
        try { return objective.Evaluate(batch, null, regularize: false).DataLoss.ToDouble(); }
        catch (OdeSolverException e) when (guard?.Explain(e, null, batch.Duration, objective.MaxSteps) is { } diverged) { throw diverged; }
        finally { objective.ReleaseInputs(); }
    }

    /// <summary>
    /// The model's prediction of the observed components of <paramref name="trajectory"/> at <paramref name="times"/>
    /// (its own times when null), starting from its first observation; <c>[T, nObs]</c>.
    /// </summary>
    public double[,] Predict(TrajectoryDataset data, int trajectory, double[]? times = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tr = data.Trajectories[trajectory];
        var grid = times ?? tr.Times;
        if (grid.Length < 2 || grid[0] != tr.StartTime)
            throw new ArgumentException($"Prediction times must start at the trajectory's first time {tr.StartTime:R} and hold at least 2 points.", nameof(times));
        var values = new double[grid.Length, tr.ObservedSize];
        for (int i = 0; i < grid.Length; i++)
            for (int j = 0; j < tr.ObservedSize; j++) values[i, j] = i == 0 ? tr.Values[0, j] : double.NaN;
        var single = data.With([new Trajectory(tr.Id, grid, values, null, tr.Inputs)]);
        var objective = Objective(single);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        using var batch = BatchBuilder.Build(single, BatchBuilder.Whole(single, [0]), DType, Device);
        // The initial state comes from the trajectory's own observations, as in training (latent velocities read several).
        using var origin = BatchBuilder.Build(data, BatchBuilder.Whole(data, [trajectory]), DType, Device);
        double[] flat;
        try { flat = objective.Solve(batch, origin).narrow(2, 0, tr.ObservedSize).select(1, 0).to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray(); }
        finally { objective.ReleaseInputs(); }
        var result = new double[grid.Length, tr.ObservedSize];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    TrainingObjective Objective(TrajectoryDataset data)
    {
        int observed = data.ObservedSize;
        int stateSize = Options.StateSize ?? (system is IDescribedSystem m ? m.Layout.StateSize : observed);
        if (system is IDescribedSystem model && model.Layout.ObservedSize != observed)
            throw new ArgumentException(
                $"The data observe {observed} components ({string.Join(", ", data.StateNames)}) but the model has {model.Layout.ObservedSize} observed states " +
                $"({string.Join(", ", model.Layout.ComponentNames.Take(model.Layout.ObservedSize))}).");
        if (stateSize < observed)
            throw new ArgumentException($"The state has {stateSize} components but the data observe {observed}; observed components must be the leading state components.");
        return new TrainingObjective(system, module.parameters(), stateSize, observed, Options);
    }

    TrainingResult Loop(TrajectoryDataset train, TrajectoryDataset? validation, TrainingObjective objective,
        optim.Optimizer optimizer, RunState run, Action<EpochMetrics> report)
    {
        var history = run.History;
        using var guard = new DivergenceGuard(module, Options);
        var reason = StopReason.Completed;
        string message = $"Completed {Options.Epochs} epochs.";
        for (int epoch = run.Epoch; epoch < Options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double rate = Options.Schedule?.Rate(Options.Optimizer.LearningRate, epoch) ?? Options.Optimizer.LearningRate;
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
            var batches = Options.Sampler.SampleEpoch(train, run.Random);
            guard.BeginEpoch(epoch, batches.Count, rate);
            bool validate = validation is not null && ((epoch + 1) % Options.ValidateEvery == 0 || epoch == Options.Epochs - 1);
            EpochTotals totals;
            double? validationLoss;
            try
            {
                totals = TrainEpoch(epoch, train, batches, objective, optimizer, guard, run.Random);
                guard.CheckWeights();
                validationLoss = validate ? Evaluate(validation!, guard) : null;
            }
            catch (TrainingDivergedException)
            {
                guard.Restore();   // the weights of the last completed epoch, as its checkpoint holds them
                throw;
            }
            var metrics = new EpochMetrics(epoch, totals.Loss, validationLoss, totals.Regularization, rate,
                totals.ForwardEvaluations, totals.BackwardEvaluations, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            report(metrics);

            string? stop = RunCallbacks(metrics, history);
            if (stop is not null) (reason, message) = (StopReason.Callback, $"Stopped by a callback after epoch {epoch + 1}: {stop}");
            if (validationLoss is { } v && Options.EarlyStopping is { } es)
            {
                run.EarlyStopping = run.EarlyStopping.After(epoch, v, es.MinDelta);
                if (run.EarlyStopping.BestEpoch == epoch && es.RestoreBestWeights) run.BestModel = NamedTensors.Capture(module);
                if (stop is null && run.EarlyStopping.EpochsWithoutImprovement >= es.Patience)
                {
                    (reason, message) = (StopReason.EarlyStopping,
                        $"Early stopping after epoch {epoch + 1}: no validation improvement for {es.Patience} epochs (best {run.EarlyStopping.BestLoss:G6} at epoch {run.EarlyStopping.BestEpoch + 1}).");
                }
            }
            bool last = reason != StopReason.Completed || epoch == Options.Epochs - 1;
            if (Options.CheckpointPath is { } path && (last || (epoch + 1) % Options.CheckpointEvery == 0))
                run.Checkpoint(epoch + 1, module, optimizer).Save(path);
            if (Options.MetricsCsvPath is { } csv) MetricsCsv.Write(csv, history);
            if (last) break;
        }
        if (Options.EarlyStopping is { RestoreBestWeights: true } && run.BestModel is { } best) NamedTensors.Restore(best, module);
        int bestEpoch = run.EarlyStopping.BestEpoch >= 0 ? run.EarlyStopping.BestEpoch
            : history.Count == 0 ? -1 : history.MinBy(m => m.Loss)!.Epoch;
        return new TrainingResult(history, reason, bestEpoch, message);
    }

    EpochTotals TrainEpoch(int epochIndex, TrajectoryDataset train, IReadOnlyList<IReadOnlyList<BatchWindow>> batches, TrainingObjective objective,
        optim.Optimizer optimizer, DivergenceGuard guard, SeededRandom rng)
    {
        module.train();
        var totals = new EpochTotals();
        var reg = Options.Regularization;
        for (int index = 0; index < batches.Count; index++)
        {
            using var scope = NewDisposeScope();
            using var batch = BatchBuilder.Build(train, batches[index], DType, Device);
            var probe = reg is { JacobianFrobenius: not 0 }
                ? RegularizedSystem.SampleProbe(rng, batch.Size * Options.Replicas, objective.StateSize, reg.Probe, DType, Device)
                : null;
            objective.MaxSteps = guard.StepLimit(batch.Duration);
            try
            {
                var reading = optimizer is LBFGS
                    ? LbfgsStep(batch, index, probe, objective, optimizer, guard, totals)
                    : GradientStep(batch, index, probe, objective, optimizer, guard, totals);
                totals.Add(reading.DataLoss, reading.Regularizer);
            }
            catch (Exception) when (BackwardPass.TakeFailure() is { } failure)
            {
                // A gradient method's backward pass failed (backward() threw libtorch's error): stop at once, before any
                // optimizer step or checkpoint, with the original exception; leave no gradient for a later step.
                optimizer.zero_grad();
                throw new TrainingFailedException(epochIndex, index, failure.Method, failure.Error);
            }
            catch (OdeSolverException e) when (guard.Explain(e, index, batch.Duration, objective.MaxSteps) is { } diverged) { throw diverged; }
            finally { objective.ReleaseInputs(); }
        }
        return totals;
    }

    StepGuard.Reading GradientStep(TrajectoryBatch batch, int index, Tensor? probe, TrainingObjective objective, optim.Optimizer optimizer,
        DivergenceGuard guard, EpochTotals totals)
    {
        optimizer.zero_grad();
        var result = objective.Evaluate(batch, probe, regularize: true);
        result.Total.backward();
        totals.Count(result);
        var reading = guard.BeforeStep(result, batch, index);   // clips, and throws rather than step on a non-finite loss or gradient
        optimizer.step();
        guard.Applied(result, batch);
        return reading;
    }

    StepGuard.Reading LbfgsStep(TrajectoryBatch batch, int index, Tensor? probe, TrainingObjective objective, optim.Optimizer optimizer,
        DivergenceGuard guard, EpochTotals totals)
    {
        // L-BFGS re-evaluates the loss several times per step through this closure, which native code calls:
        // exceptions must not cross that boundary, so they are kept and rethrown after the step.
        TrainingObjective.Result? result = null;
        Exception? failure = null;
        optimizer.step(() =>
        {
            if (failure is not null) return torch.tensor(double.NaN, DType, Device);
            try
            {
                optimizer.zero_grad();
                result = objective.Evaluate(batch, probe, regularize: true);
                result.Total.backward();
                totals.Count(result);
                return result.Total.alias();   // TorchSharp hands the returned tensor over to native code
            }
            catch (Exception e)
            {
                failure = e;
                return torch.tensor(double.NaN, DType, Device);
            }
        });
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        if (result is null) throw new InvalidOperationException("L-BFGS finished a step without evaluating the loss.");
        var reading = guard.AfterLbfgsStep(result, batch, index);
        guard.Applied(result, batch);
        return reading;
    }

    string? RunCallbacks(EpochMetrics metrics, IReadOnlyList<EpochMetrics> history)
    {
        string? stop = null;
        foreach (var callback in Options.Callbacks)
        {
            var context = new EpochContext(metrics, history);
            callback(context);
            stop ??= context.StopRequest;
        }
        return stop;
    }
}
