using static TorchSharp.torch;

namespace NodeDsl.Runtime.Data;

/// <summary>A contiguous run of points of one trajectory: <c>[Start, Start + Count)</c>.</summary>
/// <param name="Trajectory">Index of the trajectory in its dataset.</param>
/// <param name="Start">First point.</param>
/// <param name="Count">Number of points (at least 2).</param>
public sealed record BatchWindow(int Trajectory, int Start, int Count);

/// <summary>
/// Tensors for one batched solve: one output-time grid shared by all rows, the observations placed on it, and which
/// entries are scored. Build it with <see cref="BatchBuilder"/> or get it from an <see cref="IBatchSampler"/>.
/// </summary>
/// <remarks>
/// <para>Row <c>b</c> starts at its window's first point, which is grid time 0 (relative grids) or the shared start
/// time. When every row starts at the same time the grid is in absolute time (<see cref="RelativeTimes"/> false);
/// otherwise it is relative to each row's start, and a solve must evaluate row b at <c>s + StartTimes[b]</c> (the trainer
/// does, through <see cref="ITimeOffsetSystem"/>), which matters for time-dependent models.</para>
/// <para>On a regular grid all windows share their relative times, so the grid has as many points as the longest
/// window; otherwise it is the union of all rows' times and each row is scored only at its own points.</para>
/// </remarks>
public sealed class TrajectoryBatch : IDisposable
{
    internal TrajectoryBatch(IReadOnlyList<BatchWindow> windows, Tensor times, bool relativeTimes, double[] startTimes,
        Tensor observations, Tensor? mask, Tensor initialObservations, Tensor? inputs, double duration, double largestObservation)
    {
        (Windows, Times, RelativeTimes, StartTimes, Observations, Mask, InitialObservations, Inputs)
            = (windows, times, relativeTimes, startTimes, observations, mask, initialObservations, inputs);
        (Duration, LargestObservation) = (duration, largestObservation);
    }

    /// <summary>Which points of which trajectory each row holds.</summary>
    public IReadOnlyList<BatchWindow> Windows { get; }
    /// <summary>Output times of the solve, <c>[T]</c>, strictly increasing.</summary>
    public Tensor Times { get; }
    /// <summary>True when <see cref="Times"/> is relative to each row's own start time.</summary>
    public bool RelativeTimes { get; }
    /// <summary>Absolute start time of each row.</summary>
    public IReadOnlyList<double> StartTimes { get; }
    /// <summary>Observed values on the grid, <c>[T, batch, nObs]</c>; zero where not scored.</summary>
    public Tensor Observations { get; }
    /// <summary>Scored entries, boolean <c>[T, batch, nObs]</c>; null when every entry is scored.</summary>
    public Tensor? Mask { get; }
    /// <summary>The first observation of each row, <c>[batch, nObs]</c>; NaN where it is missing.</summary>
    public Tensor InitialObservations { get; }
    /// <summary>Per-row inputs <c>[batch, nInputs]</c>; null when the dataset has none.</summary>
    public Tensor? Inputs { get; }
    /// <summary>Number of rows.</summary>
    public int Size => Windows.Count;
    /// <summary>Length of the time grid (last time minus first), known on the host.</summary>
    internal double Duration { get; }
    /// <summary>Largest |value| among the batch's scored and initial observations, known on the host (for error messages).</summary>
    internal double LargestObservation { get; }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Times.Dispose();
        Observations.Dispose();
        Mask?.Dispose();
        InitialObservations.Dispose();
        Inputs?.Dispose();
    }
}
