namespace NodeDsl.Runtime.Export;

/// <summary>
/// The members of <see cref="WeightMetadata"/> that need the runtime (its solver options and training types); the record
/// itself is in NodeDsl.Prediction, so that prediction without libtorch reads the same metadata.
/// </summary>
public static class WeightMetadataTraining
{
    /// <summary>Runtime members of <see cref="WeightMetadata"/>.</summary>
    extension(WeightMetadata metadata)
    {
        /// <summary>Solver options that reproduce the training solves: tolerances and step size.</summary>
        public SolverOptions SolverOptions() => new()
        {
            RelativeTolerance = metadata.RelativeTolerance, AbsoluteTolerance = metadata.AbsoluteTolerance, StepSize = metadata.StepSize,
        };
    }

    /// <summary>Runtime factories of <see cref="WeightMetadata"/>.</summary>
    extension(WeightMetadata)
    {
        /// <summary>
        /// Metadata describing a training run: per-component ranges of <paramref name="data"/> (states and inputs, NaN
        /// entries skipped) and of its times, and the solver, tolerances and gradient method of <paramref name="options"/>.
        /// </summary>
        public static WeightMetadata FromTraining(Data.TrajectoryDataset data, Training.TrainerOptions options, string? notes = null)
        {
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(options);
            var solverOptions = options.SolverOptions ?? new SolverOptions();
            // The tolerances the training solves used: the step-size controller's (the options' shorthand when it has none).
            var tolerance = StepControl.Tolerance(solverOptions);
            return new WeightMetadata
            {
                States = TrainingRanges.States(data),
                Inputs = TrainingRanges.Inputs(data),
                Time = TrainingRanges.Time(data),
                Solver = options.Solver.Name,
                RelativeTolerance = tolerance.Relative,
                AbsoluteTolerance = tolerance.Absolute,
                StepSize = solverOptions.StepSize,
                GradientMethod = options.Gradient?.Name ?? "autograd",
                Notes = notes,
            };
        }
    }
}
