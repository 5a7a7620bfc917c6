namespace HamiltonianNN;

/// <summary>Settings of the Hamiltonian-NN example (defaults: Greydanus et al. 2019); <see cref="Quick"/> is the short run of <c>--quick</c>.</summary>
public sealed record HnnOptions
{
    /// <summary>Folder of the PNGs and CSV files.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "hamiltonian-nn");
    /// <summary>Tasks to run: "spring", "pendulum".</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["spring", "pendulum"];
    /// <summary>Trajectories made per task; the first half trains, the second half tests.</summary>
    public int Trajectories { get; init; } = 50;
    /// <summary>Points per trajectory on [0, <see cref="DataEnd"/>].</summary>
    public int PointsPerTrajectory { get; init; } = 30;
    /// <summary>End of each data trajectory.</summary>
    public double DataEnd { get; init; } = 3.0;
    /// <summary>Gaussian noise (standard deviation) added to q and p; the targets are the clean derivatives.</summary>
    public double Noise { get; init; } = 0.1;
    /// <summary>Full-batch Adam steps per model.</summary>
    public int Steps { get; init; } = 2000;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam weight decay (Greydanus' code uses 1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Test initial states integrated for the energy metric.</summary>
    public int RolloutStates { get; init; } = 15;
    /// <summary>End of the rollouts from the test initial states.</summary>
    public double RolloutEnd { get; init; } = 20.0;
    /// <summary>Output points of each rollout.</summary>
    public int RolloutPoints { get; init; } = 1000;
    /// <summary>Step of the fixed-step solvers in the energy-drift study.</summary>
    public double DriftStep { get; init; } = 0.1;
    /// <summary>End time of the energy-drift study.</summary>
    public double DriftEnd { get; init; } = 200.0;
    /// <summary>Solvers of the energy-drift study.</summary>
    public IReadOnlyList<string> DriftSolvers { get; init; } = ["leapfrog", "yoshida4", "implicitmidpoint", "dopri5"];
    /// <summary>Relative tolerance of dopri5 in the drift study (a typical setting, not a tight one).</summary>
    public double DriftTolerance { get; init; } = 1e-6;
    /// <summary>Seed of data, noise and weights.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>
    /// The short run of <c>--quick</c>: 10 + 10 trajectories, 200 steps, 5 rollouts of 200 points, drift study to t = 10;
    /// both tasks and every drift solver still run.
    /// </summary>
    public static HnnOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, Trajectories = 20, Steps = 200, RolloutStates = 5, RolloutPoints = 200, DriftEnd = 10,
    };
}
