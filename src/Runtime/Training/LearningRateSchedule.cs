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

    sealed record StepSchedule : LearningRateSchedule
    {
        public StepSchedule(int stepSize, double gamma)
        {
            if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), "Must be at least 1.");
            if (!(gamma > 0)) throw new ArgumentOutOfRangeException(nameof(gamma), "Must be positive.");
            (StepSize, Gamma) = (stepSize, gamma);
        }
        public int StepSize { get; }
        public double Gamma { get; }
        public override double Rate(double baseRate, int epoch) => baseRate * Math.Pow(Gamma, epoch / StepSize);
    }

    sealed record CosineSchedule : LearningRateSchedule
    {
        public CosineSchedule(int epochs, double minRate)
        {
            if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), "Must be at least 1.");
            (Epochs, MinRate) = (epochs, minRate);
        }
        public int Epochs { get; }
        public double MinRate { get; }
        public override double Rate(double baseRate, int epoch)
            => MinRate + 0.5 * (baseRate - MinRate) * (1 + Math.Cos(Math.PI * Math.Min(epoch, Epochs) / Epochs));
    }

    sealed record WarmupSchedule : LearningRateSchedule
    {
        public WarmupSchedule(int warmupEpochs, LearningRateSchedule after)
        {
            if (warmupEpochs < 1) throw new ArgumentOutOfRangeException(nameof(warmupEpochs), "Must be at least 1.");
            (WarmupEpochs, After) = (warmupEpochs, after);
        }
        public int WarmupEpochs { get; }
        public LearningRateSchedule After { get; }
        public override double Rate(double baseRate, int epoch)
            => epoch < WarmupEpochs ? baseRate * (epoch + 1) / WarmupEpochs : After.Rate(baseRate, epoch - WarmupEpochs);
    }
}
