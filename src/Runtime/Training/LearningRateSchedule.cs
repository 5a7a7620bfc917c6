namespace NodeDsl.Runtime.Training;

/// <summary>
/// A learning rate as a pure function of the epoch, so a resumed run sets exactly the rate an uninterrupted run would
/// (no scheduler state to save). The trainer applies it at the start of every epoch.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The learning rate of 0-based <paramref name="epoch"/> given the optimizer's base rate.</summary>
    public abstract double Rate(double baseRate, int epoch);

    /// <summary>The base rate throughout.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public static LearningRateSchedule Step(int stepSize, double gamma) => new StepSchedule(stepSize, gamma);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every epoch.</summary>
    public static LearningRateSchedule Exponential(double gamma) => new StepSchedule(1, gamma);

    /// <summary>Cosine annealing from the base rate to <paramref name="minRate"/> over <paramref name="epochs"/> epochs (Loshchilov &amp; Hutter 2017, no restarts).</summary>
    public static LearningRateSchedule Cosine(int epochs, double minRate = 0) => new CosineSchedule(epochs, minRate);

    /// <summary>Linear warm-up from <c>base/warmupEpochs</c> to the base rate, then <paramref name="after"/> (shifted by the warm-up).</summary>
    public static LearningRateSchedule Warmup(int warmupEpochs, LearningRateSchedule? after = null) => new WarmupSchedule(warmupEpochs, after ?? Constant);

    sealed record ConstantSchedule : LearningRateSchedule
    {
        public override double Rate(double baseRate, int epoch) => baseRate;
    }

    // Parameters are checked where they are stored, so an invalid schedule fails when built, not at its first epoch.
    static int AtLeastOne(int value, string name) => value >= 1 ? value : throw new ArgumentOutOfRangeException(name, "Must be at least 1.");

    sealed record StepSchedule(int StepSize, double Gamma) : LearningRateSchedule
    {
        public int StepSize { get; } = AtLeastOne(StepSize, "stepSize");
        public double Gamma { get; } = Gamma > 0 ? Gamma : throw new ArgumentOutOfRangeException("gamma", "Must be positive.");
        public override double Rate(double baseRate, int epoch) => baseRate * Math.Pow(Gamma, epoch / StepSize);
    }

    sealed record CosineSchedule(int Epochs, double MinRate) : LearningRateSchedule
    {
        public int Epochs { get; } = AtLeastOne(Epochs, "epochs");
        public override double Rate(double baseRate, int epoch)
            => MinRate + 0.5 * (baseRate - MinRate) * (1 + Math.Cos(Math.PI * Math.Min(epoch, Epochs) / Epochs));
    }

    sealed record WarmupSchedule(int WarmupEpochs, LearningRateSchedule After) : LearningRateSchedule
    {
        public int WarmupEpochs { get; } = AtLeastOne(WarmupEpochs, "warmupEpochs");
        public override double Rate(double baseRate, int epoch)
            => epoch < WarmupEpochs ? baseRate * (epoch + 1) / WarmupEpochs : After.Rate(baseRate, epoch - WarmupEpochs);
    }
}
