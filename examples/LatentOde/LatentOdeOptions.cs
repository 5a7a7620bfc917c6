namespace LatentOdeSpirals;

/// <summary>Settings of the spiral experiment; the defaults follow Chen et al. (2018, §5) where the text says so, <see cref="Quick"/> is the test run.</summary>
public sealed record LatentOdeOptions
{
    /// <summary>Folder of the PNGs and CSV files.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("out", "latent-ode");
    /// <summary>Spirals generated (Chen et al.: 1000); the last <see cref="TestFraction"/> are held out.</summary>
    public int Spirals { get; init; } = 1000;
    /// <summary>Share of the spirals held out for the test metrics.</summary>
    public double TestFraction { get; init; } = 0.2;
    /// <summary>Observations per trajectory out of the window's 100 sample times (Chen et al.'s Table 2: 30, 50 or 100).</summary>
    public int Observed { get; init; } = 30;
    /// <summary>σ of the observation noise, also the σ of the Gaussian observation model (Chen et al.: 0.3).</summary>
    public double NoiseStd { get; init; } = 0.3;
    /// <summary>Passes over the training spirals per model.</summary>
    public int Epochs { get; init; } = 60;
    /// <summary>Trajectories per Adam step.</summary>
    public int BatchSize { get; init; } = 100;
    /// <summary>Adam learning rate (Chen et al.: 0.01).</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>Dimension of z (Chen et al.: 4).</summary>
    public int LatentSize { get; init; } = 4;
    /// <summary>Hidden units of the encoder GRU (Chen et al.'s recognition RNN: 25).</summary>
    public int EncoderHidden { get; init; } = 25;
    /// <summary>Hidden units of the RNN baseline's decoder GRU (chosen so that both models have about as many parameters).</summary>
    public int RnnHidden { get; init; } = 14;
    /// <summary>Relative tolerance of the latent solve (absolute: a tenth of it).</summary>
    public double Tolerance { get; init; } = 1e-3;
    /// <summary>Seed of the data, the batches, the noise of the reparameterisation and the initial weights.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Test trajectories drawn in reconstructions.png.</summary>
    public int PlottedTrajectories { get; init; } = 4;
    /// <summary>Called after each epoch with the model's name and the epoch's record.</summary>
    public Action<string, EpochRecord>? OnEpoch { get; init; }

    /// <summary>A run of seconds: 200 spirals (160 for training), 12 epochs.</summary>
    public static LatentOdeOptions Quick(string outputDirectory) => new()
    {
        OutputDirectory = outputDirectory, Spirals = 200, Epochs = 12, BatchSize = 40,
    };
}

/// <summary>One epoch of one model.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="NegativeElbo">Mean negative ELBO per trajectory over the epoch's batches.</param>
/// <param name="Kl">Mean KL term per trajectory.</param>
/// <param name="ForwardNfe">Mean rate evaluations per forward solve (0 for the RNN).</param>
/// <param name="Seconds">Wall time of the epoch.</param>
public sealed record EpochRecord(int Epoch, double NegativeElbo, double Kl, double ForwardNfe, double Seconds);

/// <summary>A trained model's test metrics (noise-free truth, posterior-mean predictions).</summary>
/// <param name="Name">Model.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="InterpolationMse">MSE over the 100 sample times of the observation window.</param>
/// <param name="ExtrapolationMse">MSE over the next 100 sample times.</param>
/// <param name="TestNegativeElbo">Negative ELBO per test trajectory (one sample of z₀).</param>
/// <param name="Epochs">Training history.</param>
public sealed record ModelResult(string Name, long Parameters, double InterpolationMse, double ExtrapolationMse, double TestNegativeElbo,
    IReadOnlyList<EpochRecord> Epochs)
{
    /// <summary>Training time in seconds.</summary>
    public double TrainSeconds => Epochs.Sum(e => e.Seconds);
}

/// <summary>Both models' results.</summary>
public sealed record LatentOdeResult(int TrainCount, int TestCount, ModelResult LatentOde, ModelResult Rnn);
