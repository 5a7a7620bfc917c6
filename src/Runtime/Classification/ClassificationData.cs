using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Labelled examples for classification: inputs <c>[N, …]</c> (e.g. images <c>[N, 1, 28, 28]</c> or beats <c>[N, 1, 187]</c>)
/// and one class index per example. The inputs stay where they are (usually the CPU) until a batch is taken.
/// </summary>
public sealed class ClassificationData : IDisposable
{
    readonly long[] labels;

    /// <summary>Wraps <paramref name="inputs"/> (owned by this object from now on) and <paramref name="labels"/>.</summary>
    /// <param name="inputs">Floating-point inputs, <c>[N, …]</c>.</param>
    /// <param name="labels">Class index of each example, in [0, <paramref name="classNames"/>.Count).</param>
    /// <param name="classNames">One name per class (for tables and plots).</param>
    /// <exception cref="ArgumentException">Counts differ, a label is out of range, or the inputs are not floating point.</exception>
    public ClassificationData(Tensor inputs, IReadOnlyList<long> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (inputs.dim() < 2) throw new ArgumentException($"Inputs must be [N, …] with N examples but have shape [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (!inputs.is_floating_point()) throw new ArgumentException($"Inputs must be floating point but are {inputs.dtype}; convert them with .to(float32).", nameof(inputs));
        if (inputs.shape[0] != labels.Count)
            throw new ArgumentException($"There are {inputs.shape[0]} inputs but {labels.Count} labels; give one label per example.", nameof(labels));
        if (classNames.Count < 2) throw new ArgumentException($"A classification needs at least 2 classes, not {classNames.Count}.", nameof(classNames));
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of example {i} is outside [0, {classNames.Count}) ({string.Join(", ", classNames)}).", nameof(labels));
        Inputs = inputs.DetachFromDisposeScope();
        this.labels = labels.ToArray();
        ClassNames = classNames.ToArray();
    }

    /// <summary>Inputs <c>[N, …]</c>.</summary>
    public Tensor Inputs { get; }
    /// <summary>Class index of each example.</summary>
    public IReadOnlyList<long> Labels => labels;
    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Number of examples.</summary>
    public int Count => labels.Length;
    /// <summary>Number of classes.</summary>
    public int Classes => ClassNames.Count;
    /// <summary>Shape of one example (the inputs' shape without the leading N).</summary>
    public long[] ExampleShape => Inputs.shape.Skip(1).ToArray();

    /// <summary>Examples per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (long l in labels) counts[l]++;
        return counts;
    }

    /// <summary>The examples at <paramref name="rows"/> (a copy), in that order.</summary>
    public ClassificationData Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var index = tensor(rows.Select(r => (long)r).ToArray(), device: Inputs.device);
        return new ClassificationData(Inputs.index_select(0, index), rows.Select(r => labels[r]).ToArray(), ClassNames);
    }

    /// <summary>The first <paramref name="count"/> examples (all when there are fewer).</summary>
    public ClassificationData Take(int count) => Select(Enumerable.Range(0, System.Math.Min(count, Count)).ToArray());

    /// <summary>
    /// A batch: the inputs at <paramref name="rows"/> moved to <paramref name="device"/> as <paramref name="dtype"/>, and their
    /// labels as an int64 tensor there. Both belong to the caller's dispose scope.
    /// </summary>
    public (Tensor Inputs, Tensor Labels) Batch(IReadOnlyList<int> rows, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var index = tensor(rows.Select(r => (long)r).ToArray(), device: Inputs.device);
        var x = Inputs.index_select(0, index).to(dtype, device);
        var y = tensor(rows.Select(r => labels[r]).ToArray(), device: device);
        return (x, y);
    }

    /// <inheritdoc />
    public void Dispose() => Inputs.Dispose();
}
