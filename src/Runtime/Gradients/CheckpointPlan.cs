namespace NodeDsl.Runtime;

/// <summary>
/// The time grid of a checkpointed solve: the output times plus any extra checkpoint times, cut into segments. Each
/// segment is solved on its own, forward without a graph and again with a graph in the backward pass.
/// </summary>
internal sealed class CheckpointPlan
{
    /// <summary>All grid times, in solve order.</summary>
    public double[] Times { get; }
    /// <summary>For each grid time, the index of the output time it is, or −1 for an extra checkpoint.</summary>
    public int[] OutputIndex { get; }
    /// <summary>Segments as (first, last) grid indices; consecutive segments share their boundary point.</summary>
    public (int First, int Last)[] Segments { get; }

    CheckpointPlan(double[] times, int[] outputIndex, (int, int)[] segments)
        => (Times, OutputIndex, Segments) = (times, outputIndex, segments);

    public static CheckpointPlan Create(double[] outputs, CheckpointOptions checkpoints, IOdeSolver solver, SolverOptions options)
    {
        // Automatic: ⌈√(T − 1)⌉ output intervals per segment, the classic √N checkpointing balance of stored states
        // against the graph of one segment.
        int outputsPerSegment = checkpoints.OutputsPerSegment > 0
            ? checkpoints.OutputsPerSegment
            : (int)Math.Ceiling(Math.Sqrt(outputs.Length - 1));
        var times = new List<double>();
        var index = new List<int>();
        var boundary = new List<bool>();
        double? span = !solver.IsAdaptive && checkpoints.StepsPerSegment is { } k && options.StepSize is { } h ? k * h : null;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (i > 0 && span is { } s)
            {
                // Extra checkpoints at t_{i-1} ± j·k·h: multiples of the step from the interval's start, so a fixed-step
                // solve takes the same steps as without them.
                double start = outputs[i - 1], sign = Math.Sign(outputs[i] - start), length = Math.Abs(outputs[i] - start);
                for (int j = 1; j * s < length * (1 - 1e-12); j++)
                {
                    times.Add(start + sign * j * s);
                    index.Add(-1);
                    boundary.Add(true);
                }
            }
            times.Add(outputs[i]);
            index.Add(i);
            boundary.Add(i % outputsPerSegment == 0 || i == outputs.Length - 1);
        }
        var segments = new List<(int, int)>();
        int first = 0;
        for (int p = 1; p < times.Count; p++)
        {
            if (!boundary[p]) continue;
            segments.Add((first, p));
            first = p;
        }
        return new CheckpointPlan([.. times], [.. index], [.. segments]);
    }
}
