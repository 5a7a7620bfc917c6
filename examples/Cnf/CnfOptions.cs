namespace Cnf;

/// <summary>Settings of the CNF experiment; <see cref="Quick"/> is the test run.</summary>
public sealed record CnfOptions
{
    /// <summary>Folder of the PNGs and results.csv.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "cnf");
    /// <summary>The toy densities to learn.</summary>
    public IReadOnlyList<ToyDensity> Densities { get; init; } = [ToyDensity.TwoMoons, ToyDensity.EightGaussians, ToyDensity.Checkerboard];
    /// <summary>Adam steps per model.</summary>
    public int Iterations { get; init; } = 400;
    /// <summary>Fresh samples per step (the data are a distribution, not a fixed set).</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Held-out samples for the test NLL.</summary>
    public int TestSize { get; init; } = 2000;
    /// <summary>Adam learning rate (FFJORD: 1e-3).</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>Relative and absolute tolerance of the training solves (forward and adjoint).</summary>
    public double TrainTolerance { get; init; } = 1e-3;
    /// <summary>Relative and absolute tolerance of the evaluation solves (test NLL, density, samples).</summary>
    public double EvaluationTolerance { get; init; } = 1e-5;
    /// <summary>Weight of the kinetic energy and of the Jacobian term in the regularised runs (Finlay et al. 2020 use 0.01 each).</summary>
    public double RegularizationWeight { get; init; } = 0.01;
    /// <summary>Points per axis of the density plot.</summary>
    public int DensityGrid { get; init; } = 80;
    /// <summary>Seed of the data, the probes and the initial weights.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Called every <see cref="ReportEvery"/> steps with the density, the model and the step's record.</summary>
    public Action<ToyDensity, string, StepRecord>? OnStep { get; init; }
    /// <summary>Steps between <see cref="OnStep"/> calls.</summary>
    public int ReportEvery { get; init; } = 50;

    /// <summary>A run of about a minute: two moons only, 40 steps of 128 points, a coarser density grid.</summary>
    public static CnfOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, Densities = [ToyDensity.TwoMoons], Iterations = 40, BatchSize = 128, TestSize = 500,
        DensityGrid = 40, ReportEvery = 10,
    };
}

/// <summary>One training step.</summary>
/// <param name="Step">1-based step.</param>
/// <param name="Loss">Training loss (−mean log p with Hutchinson's estimate, plus the regularisers where used).</param>
/// <param name="ForwardNfe">Rate evaluations of the forward solve.</param>
/// <param name="BackwardNfe">Rate evaluations of the adjoint's backward solve.</param>
/// <param name="Seconds">Wall time of the step.</param>
public sealed record StepRecord(int Step, double Loss, int ForwardNfe, int BackwardNfe, double Seconds);

/// <summary>One trained flow.</summary>
/// <param name="Density">The toy density.</param>
/// <param name="Model">"plain" or "regularised".</param>
/// <param name="TestNll">−mean log p of the held-out samples (exact divergence), nats.</param>
/// <param name="EvaluationNfe">Rate evaluations of the test solve.</param>
/// <param name="Steps">Training history.</param>
/// <param name="Grid">Density on the plot grid, <c>[row = y, column = x]</c>.</param>
/// <param name="Samples">Samples from the flow, <c>[count, 2]</c> row-major.</param>
public sealed record FlowRun(ToyDensity Density, string Model, double TestNll, int EvaluationNfe, IReadOnlyList<StepRecord> Steps, double[,] Grid, double[] Samples)
{
    /// <summary>Mean forward NFE over the last quarter of training.</summary>
    public double LateForwardNfe => Steps.Skip(Steps.Count * 3 / 4).Average(s => s.ForwardNfe);
    /// <summary>Mean backward NFE over the last quarter of training.</summary>
    public double LateBackwardNfe => Steps.Skip(Steps.Count * 3 / 4).Average(s => s.BackwardNfe);
    /// <summary>Training time in seconds.</summary>
    public double TrainSeconds => Steps.Sum(s => s.Seconds);
}
