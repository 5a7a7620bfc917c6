namespace NodeDsl.Examples;

/// <summary>
/// The settings every classifier example shares (examples/OdeNetImages, examples/EcgHeartbeats): how much data, how long
/// and how fast to train, the ODE blocks' tolerance, the seed and the libtorch threads. An example's own options record
/// derives from it; <see cref="ClassifierCommandLine"/> reads them from the command line.
/// </summary>
public abstract record ClassifierExampleOptions
{
    /// <summary>Sets the example's defaults for the output folder and the amount of training.</summary>
    protected ClassifierExampleOptions(string outputDirectory, int trainCount, int testCount, int epochs)
        => (OutputDirectory, TrainCount, TestCount, Epochs) = (outputDirectory, trainCount, testCount, epochs);

    /// <summary>Folder for PNGs and CSV files.</summary>
    public string OutputDirectory { get; init; }
    /// <summary>Training examples used.</summary>
    public int TrainCount { get; init; }
    /// <summary>Test examples used.</summary>
    public int TestCount { get; init; }
    /// <summary>Passes over the training examples.</summary>
    public int Epochs { get; init; }
    /// <summary>Examples per optimizer step (Chen et al.: 128).</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Adam's learning rate (cosine schedule over the epochs).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Relative and absolute tolerance of the ODE blocks' Dormand–Prince solves (Chen et al.: 1e-3).</summary>
    public double Tolerance { get; init; } = 1e-3;
    /// <summary>Seed of the data (where generated), the weights and the batch order.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>
    /// libtorch intra-op threads. 1 by default: libtorch's default (one per core) spin-waits on a busy machine, and a
    /// training batch then takes 3–10× longer (measured in docs/odenet-images.md, "Speed"); raise it on a quiet
    /// machine with several cores.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Throws with the rule for settings that cannot run (the command line enforces the same limits).</summary>
    /// <exception cref="ArgumentException">A count, the epochs, the batch size or the threads are below 1, or the rate or tolerance is not positive.</exception>
    public void Validate()
    {
        if (TrainCount < 1 || TestCount < 1 || Epochs < 1 || BatchSize < 1 || Threads < 1)
            throw new ArgumentException(
                $"TrainCount ({TrainCount}), TestCount ({TestCount}), Epochs ({Epochs}), BatchSize ({BatchSize}) and Threads ({Threads}) must each be at least 1.");
        if (!(LearningRate > 0) || !(Tolerance > 0))
            throw new ArgumentException($"LearningRate ({LearningRate}) and Tolerance ({Tolerance}) must be greater than 0.");
    }

    /// <summary>
    /// The <c>--quick</c> preset built on <paramref name="defaults"/>, a smoke test of every part (CI runs it): 50 training and
    /// 50 test examples, 2 epochs of one batch of 50, i.e. two Adam steps per network — enough to check that a step along
    /// each network's gradient lowers its loss, not to learn the classes.
    /// </summary>
    protected static T SmokeTest<T>(T defaults, string outputDirectory) where T : ClassifierExampleOptions
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return (T)((ClassifierExampleOptions)defaults with { OutputDirectory = outputDirectory, TrainCount = 50, TestCount = 50, Epochs = 2, BatchSize = 50 });
    }
}
