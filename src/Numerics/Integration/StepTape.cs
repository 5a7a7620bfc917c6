using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// The accepted steps of a native solve, for its discrete adjoint: each step's start time, signed step and start state,
/// with or without its stage states (<see cref="StoresStages"/>: direct backpropagation keeps them; the checkpointed
/// adjoint keeps only the start states and recomputes the stages step by step), and which output time each step's dense
/// output produced. Storage grows by doubling, so recording allocates only O(log steps) times.
/// </summary>
public sealed class StepTape<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly int length, stagesPerStep;
    T[] states = [];
    double[] times = [], steps = [];
    readonly List<(int Output, int Step, double Theta)> outputs = [];

    /// <summary>A tape for states of <paramref name="length"/> values of a method with <paramref name="stages"/> stages.</summary>
    public StepTape(int length, int stages, bool storeStages)
    {
        this.length = length;
        StoresStages = storeStages;
        // Start state plus the stage states Y_1 … Y_{s−1} (Y_0 is the start state).
        stagesPerStep = storeStages ? stages : 1;
        Final = new T[length];
    }

    /// <summary>True when the stage states are stored (direct backpropagation).</summary>
    public bool StoresStages { get; }

    /// <summary>Number of accepted steps.</summary>
    public int Count { get; private set; }

    /// <summary>The state at the end of the solve.</summary>
    public T[] Final { get; }

    /// <summary>The dense outputs: output index, the step that produced it and its fraction θ of that step.</summary>
    public IReadOnlyList<(int Output, int Step, double Theta)> Outputs => outputs;

    /// <summary>Values stored (states and stages), for memory reports.</summary>
    public long StoredValues => (long)Count * stagesPerStep * length;

    /// <summary>Start time of step <paramref name="i"/>.</summary>
    public double Time(int i) => times[i];

    /// <summary>Signed step <paramref name="i"/>.</summary>
    public double Step(int i) => steps[i];

    /// <summary>Start state of step <paramref name="i"/>.</summary>
    public ReadOnlySpan<T> Start(int i) => states.AsSpan(i * stagesPerStep * length, length);

    /// <summary>Stage state <c>Y_j</c> (j ≥ 1) of step <paramref name="i"/>; only when <see cref="StoresStages"/>.</summary>
    public ReadOnlySpan<T> Stage(int i, int j) => states.AsSpan((i * stagesPerStep + j) * length, length);

    internal void Clear()
    {
        Count = 0;
        outputs.Clear();
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
