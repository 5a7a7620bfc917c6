using static TorchSharp.torch;

namespace NodeDsl.Runtime.Data;

/// <summary>Chooses the windows of one training epoch.</summary>
public interface IBatchSampler
{
    /// <summary>
    /// The windows of each batch of one epoch, drawn from <paramref name="random"/> (and only from it, so a run is
    /// reproducible from the generator's state).
    /// </summary>
    IReadOnlyList<IReadOnlyList<BatchWindow>> SampleEpoch(TrajectoryDataset data, SeededRandom random);
}

/// <summary>Builds the batches a sampler chooses.</summary>
public static class BatchSamplerExtensions
{
    /// <summary>Draws one epoch and builds each batch lazily (in the caller's dispose scope when it is enumerated).</summary>
    public static IEnumerable<TrajectoryBatch> Batches(this IBatchSampler sampler, TrajectoryDataset data, SeededRandom random, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        var epoch = sampler.SampleEpoch(data, random);
        return epoch.Select(windows => BatchBuilder.Build(data, windows, dtype, device));
    }
}
