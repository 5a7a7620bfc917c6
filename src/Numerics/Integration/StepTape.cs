using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// The accepted steps of a native solve, for its discrete adjoint: each step's start time, signed step and start state,
/// with or without its stage states (<see cref="StoresStages"/>: direct backpropagation keeps them; the checkpointed
/// adjoint keeps only the start states and recomputes the stages step by step), and which output time each step's dense
/// output produced. With a <see cref="RecordLength"/>, it also keeps each stage evaluation's record
/// (<see cref="IRecordingVectorField{T}"/>: the networks' activations), up to <see cref="MaxRecordValues"/>, so the reverse
/// sweep does not evaluate the networks again. Storage grows by doubling, so recording allocates only O(log steps) times.
/// </summary>
public sealed class StepTape<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Default cap on recorded values: 8 Mi (32 MB in float32, 64 MB in float64).</summary>
    public const long DefaultMaxRecordValues = 8L << 20;

    readonly int length, stagesPerStep, stages;
    T[] states = [];
    T[] records = [];
    double[] times = [], steps = [];
    readonly List<(int Output, int Step, double Theta)> outputs = [];

    /// <summary>A tape for states of <paramref name="length"/> values of a method with <paramref name="stages"/> stages.</summary>
    /// <param name="length">Values of the state.</param>
    /// <param name="stages">Stages of the method.</param>
    /// <param name="storeStages">Keep the stage states (direct backpropagation) or only the step starts (checkpointed).</param>
    /// <param name="recordLength">Values of one evaluation's record (the field's <see cref="IRecordingVectorField{T}.RecordLength"/>),
    /// or 0 to keep none; records need the stage states.</param>
    public StepTape(int length, int stages, bool storeStages, int recordLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recordLength);
        if (recordLength > 0 && !storeStages)
            throw new ArgumentException("Records of the stage evaluations are kept only with the stage states (storeStages: true).", nameof(recordLength));
        this.length = length;
        this.stages = stages;
        RecordLength = recordLength;
        StoresStages = storeStages;
        // Start state plus the stage states Y_1 … Y_{s−1} (Y_0 is the start state).
        stagesPerStep = storeStages ? stages : 1;
        Final = new T[length];
    }

    /// <summary>True when the stage states are stored (direct backpropagation).</summary>
    public bool StoresStages { get; }

    /// <summary>Values of one evaluation's record; 0 when the tape keeps none.</summary>
    public int RecordLength { get; }

    /// <summary>
    /// Most record values kept: a solve whose records would need more keeps those of its first steps and the reverse sweep
    /// evaluates the rest again (memory stays bounded; the gradient is the same).
    /// </summary>
    public long MaxRecordValues { get; init; } = DefaultMaxRecordValues;

    /// <summary>True when the last solve recorded its evaluations on this tape.</summary>
    public bool Recorded { get; private set; }

    /// <summary>Number of accepted steps.</summary>
    public int Count { get; private set; }

    /// <summary>The state at the end of the solve.</summary>
    public T[] Final { get; }

    /// <summary>The time at the end of the solve (where the last step's end rates were evaluated).</summary>
    public double FinalTime { get; internal set; }

    /// <summary>The dense outputs: output index, the step that produced it and its fraction θ of that step.</summary>
    public IReadOnlyList<(int Output, int Step, double Theta)> Outputs => outputs;

    /// <summary>Values stored (states and stages), for memory reports.</summary>
    public long StoredValues => (long)Count * stagesPerStep * length;

    /// <summary>Record values the last solve kept, for memory reports.</summary>
    public long RecordedValues => Recorded ? Math.Min(((long)Count * stages + 1) * RecordLength, RecordCapacity) : 0;

    // Whole records that fit in the budget.
    long RecordCapacity => RecordLength == 0 ? 0 : Math.Min(MaxRecordValues, Array.MaxLength) / RecordLength * RecordLength;

    /// <summary>Start time of step <paramref name="i"/>.</summary>
    public double Time(int i) => times[i];

    /// <summary>Signed step <paramref name="i"/>.</summary>
    public double Step(int i) => steps[i];

    /// <summary>Start state of step <paramref name="i"/>.</summary>
    public ReadOnlySpan<T> Start(int i) => states.AsSpan(i * stagesPerStep * length, length);

    /// <summary>Stage state <c>Y_j</c> (j ≥ 1) of step <paramref name="i"/>; only when <see cref="StoresStages"/>.</summary>
    public ReadOnlySpan<T> Stage(int i, int j) => states.AsSpan((i * stagesPerStep + j) * length, length);

    /// <summary>
    /// The record of stage <paramref name="stage"/> of step <paramref name="step"/> (stage 0 of step <see cref="Count"/>: the
    /// final point, where the last step's rates were evaluated), or an empty span when it was not kept.
    /// </summary>
    public ReadOnlySpan<T> Record(int step, int stage)
    {
        long at = Slot(step, stage);
        return Recorded && at + RecordLength <= records.Length && at + RecordLength <= RecordCapacity
            ? records.AsSpan((int)at, RecordLength)
            : default;
    }

    long Slot(int step, int stage) => ((long)step * stages + stage) * RecordLength;

    internal void Clear(bool record)
    {
        Count = 0;
        outputs.Clear();
        Recorded = record && RecordLength > 0;
    }

    /// <summary>Where the evaluation of stage <paramref name="stage"/> of step <paramref name="step"/> is recorded; empty beyond the budget.</summary>
    internal Span<T> RecordSlot(int step, int stage)
    {
        long at = Slot(step, stage), end = at + RecordLength;
        if (!Recorded || end > RecordCapacity) return default;
        if (end > records.Length) Array.Resize(ref records, (int)Math.Min(RecordCapacity, Math.Max(end, 2L * records.Length)));
        return records.AsSpan((int)at, RecordLength);
    }

    internal void Accepted(double t, double h, ReadOnlySpan<T> start, T[][] stageStates)
    {
        int need = (Count + 1) * stagesPerStep * length;
        if (need > states.Length) Array.Resize(ref states, Math.Max(need, 2 * states.Length));
        if (Count + 1 > times.Length)
        {
            Array.Resize(ref times, Math.Max(16, 2 * times.Length));
            Array.Resize(ref steps, times.Length);
        }
        times[Count] = t;
        steps[Count] = h;
        int at = Count * stagesPerStep * length;
        start.CopyTo(states.AsSpan(at, length));
        for (int j = 1; j < stagesPerStep; j++) stageStates[j].CopyTo(states.AsSpan(at + j * length, length));
        Count++;
    }

    internal void Output(int output, double theta) => outputs.Add((output, Count, theta));
}
