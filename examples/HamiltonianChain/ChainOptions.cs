namespace HamiltonianChain;

/// <summary>Settings of the Hamiltonian-chain example; <see cref="Quick"/> is the short run of <c>--quick</c>.</summary>
public sealed record ChainOptions
{
    /// <summary>Folder of the PNGs and CSV files.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "hamiltonian-chain");
    /// <summary>Training trajectories (random initial states of the FPU-β chain).</summary>
    public int Trajectories { get; init; } = 16;
    /// <summary>Points per trajectory on [0, <see cref="DataEnd"/>].</summary>
    public int PointsPerTrajectory { get; init; } = 41;
    /// <summary>End of each data trajectory, in s.</summary>
    public double DataEnd { get; init; } = 8.0;
    /// <summary>Gaussian noise (standard deviation, m and kg·m/s) added to the observed states.</summary>
    public double Noise { get; init; } = 0.01;
    /// <summary>Training epochs of each formulation (the same for all, so their times per epoch compare).</summary>
    public int Epochs { get; init; } = 60;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Step of the RK4 solver used in training, in s.</summary>
    public double TrainStep { get; init; } = 0.1;
    /// <summary>End of the long rollouts from a test state, in s.</summary>
    public double RolloutEnd { get; init; } = 200.0;
    /// <summary>Step of the fixed-step solvers in the rollouts, in s.</summary>
    public double RolloutStep { get; init; } = 0.05;
    /// <summary>Solvers of the rollout study.</summary>
    public IReadOnlyList<string> RolloutSolvers { get; init; } = ["leapfrog", "yoshida4", "rk4", "dopri5"];
    /// <summary>Relative tolerance of dopri5 in the rollouts (a typical setting, not a tight one).</summary>
    public double RolloutTolerance { get; init; } = 1e-6;
    /// <summary>Rates + VJP calls timed per formulation in the micro-benchmark (after a warm-up of a tenth as many).</summary>
    public int TimedCalls { get; init; } = 2000;
    /// <summary>Seed of data, noise and batches.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>The short run of <c>--quick</c>: 8 trajectories, 12 epochs, rollouts to t = 40, 300 timed calls.</summary>
    public static ChainOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, Trajectories = 8, Epochs = 12, RolloutEnd = 40, TimedCalls = 300,
    };
}
