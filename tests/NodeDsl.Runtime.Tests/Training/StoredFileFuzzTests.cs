using System.Diagnostics;
using NodeDsl.Runtime.Export;
using NodeDsl.Runtime.Tests.Export;
using NodeDsl.Runtime.Training;
using static NodeDsl.Runtime.Tests.Training.StoredLayout;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// Random damage to weight files and checkpoints (truncations, bit flips, length fields set to extremes; each both as
/// is and re-sealed with a valid length and checksum, so it reaches the parser): every load either succeeds or fails
/// with the file type's own exception, leaves model and optimizer untouched when it fails, and allocates little.
/// </summary>
public sealed class StoredFileFuzzTests : IDisposable
{
    const int Seed = 20261130;
    const int Cases = 240;   // per file kind; well under a second each

    // A correct reader allocates about the file's size per attempt (these files are 1–3 KB) plus fixed costs (stream
    // buffers, exception messages, the optimizer-state snapshot). 4 MiB is over 1000× the file, and far below what
    // trusting a single corrupt length field costs (an int32 length asks for up to 2 GiB, an int64 one far more).
    const long AllocationBound = 4 << 20;
    // Native memory (tensors) is not in the GC count: the process's peak working set may grow by at most this much.
    const long PeakWorkingSetBound = 256L << 20;

    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static readonly long[] Extremes = [0, -1, 1, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue, 1L << 40];

    /// <summary>Damaged copies of <paramref name="good"/>, named for the failure message.</summary>
    static IEnumerable<(string Name, byte[] Bytes)> Damaged(byte[] good, List<Field> fields, Func<byte[], byte[]> seal)
    {
        var random = new Random(Seed);
        for (int i = 0; i < Cases; i++)
        {
            (string name, byte[] bytes) = (i % 3) switch
            {
                0 => Truncated(good, random),
                1 => Flipped(good, random),
                _ => Extreme(good, fields, random),
            };
            bool sealAgain = i % 2 == 1;
            yield return ($"case {i}: {name}{(sealAgain ? ", re-sealed" : "")}", sealAgain ? seal(bytes) : bytes);
        }
    }

    static (string, byte[]) Truncated(byte[] good, Random random)
    {
        int length = random.Next(good.Length);
        return ($"truncated to {length} bytes", good[..length]);
    }

    static (string, byte[]) Flipped(byte[] good, Random random)
    {
        var copy = (byte[])good.Clone();
        var at = new List<int>();
        for (int k = random.Next(1, 5); k > 0; k--)
        {
            int bit = random.Next(copy.Length * 8);
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            at.Add(bit);
        }
        return ($"bits {string.Join(", ", at)} flipped", copy);
    }

    static (string, byte[]) Extreme(byte[] good, List<Field> fields, Random random)
    {
        var field = fields[random.Next(fields.Count)];
        long value = random.Next(3) == 0 ? BitConverter.ToInt32(good, field.Offset) + random.Next(-2, 3) : Extremes[random.Next(Extremes.Length)];
        return ($"{field.Name} set to {value}", WithValue(good, field, value));
    }

    [Fact]
    public void DamagedWeightFilesFailWithAWeightFileExceptionAndBoundedMemory()
    {
        var path = Path.Combine(folder, "good.nodew");
        using (var source = new TinyOscillator(seed: 1))
            source.SaveWeights(path, new WeightMetadata { States = [new("x", -1, 1), new("v", -2, 2)], Time = new("t", 0, 2) });
        var good = File.ReadAllBytes(path);

        using var model = new TinyOscillator(seed: 5);
        model.LoadWeights(new MemoryStream(good), "good");                   // the state a benign damage restores, too
        var before = model.Snapshot();
        var (rejected, worst, peak) = Run(Damaged(good, WeightFileFields(good), SealWeightFile), (name, bytes, i) =>
        {
            try
            {
                // Alternate the entry points: seekable, without a length, and the surrogate constructor.
                switch (i % 3)
                {
                    case 0: model.LoadWeights(new MemoryStream(bytes), name); break;
                    case 1: model.LoadWeights(new UnseekableStream(bytes), name); break;
                    default: new TinySurrogate(new MemoryStream(bytes)).Dispose(); break;
                }
            }
            catch (WeightFileException) { return false; }
            return true;
        }, onLoaded: () => model.LoadWeights(new MemoryStream(good), "good"), check: () => Assert.Equal(before, model.Snapshot()));

        Assert.True(rejected > Cases * 0.8, $"only {rejected} of {Cases} damaged files were rejected");
        Assert.True(worst < AllocationBound, $"one load allocated {worst} bytes");
        Assert.True(peak < PeakWorkingSetBound, $"the peak working set grew by {peak} bytes");
    }

    [Fact]
    public void DamagedCheckpointsFailWithACheckpointExceptionAndBoundedMemory()
    {
        var (saved, savedOptimizer) = UntrustedCheckpointTests.Trained(1);
        var path = Path.Combine(folder, "good.ckpt");
        UntrustedCheckpointTests.Checkpoint(saved, savedOptimizer).Save(path);
        var good = File.ReadAllBytes(path);

        var (model, optimizer) = UntrustedCheckpointTests.Trained(-2, steps: 3);
        var weights = model.Values();
        var moments = TrainingCheckpoint.CaptureOptimizer(optimizer);
        var damaged = Path.Combine(folder, "damaged.ckpt");
        var (rejected, worst, peak) = Run(Damaged(good, CheckpointFields(good), SealCheckpoint), (name, bytes, _) =>
        {
            File.WriteAllBytes(damaged, bytes);
            try
            {
                var checkpoint = TrainingCheckpoint.Load(damaged);
                checkpoint.CheckFits(model, optimizer, damaged);
                checkpoint.Restore(model, optimizer);
            }
            catch (CheckpointException) { return false; }
            return true;
        }, onLoaded: () =>
        {
            // Put the starting state back for the next case.
            var (fresh, freshOptimizer) = UntrustedCheckpointTests.Trained(-2, steps: 3);
            UntrustedCheckpointTests.Checkpoint(fresh, freshOptimizer).Restore(model, optimizer);
        }, check: () =>
        {
            Assert.Equal(weights, model.Values());
            Assert.Equal(moments, TrainingCheckpoint.CaptureOptimizer(optimizer));
        });

        Assert.True(rejected > Cases * 0.8, $"only {rejected} of {Cases} damaged files were rejected");
        Assert.True(worst < AllocationBound, $"one load allocated {worst} bytes");
        Assert.True(peak < PeakWorkingSetBound, $"the peak working set grew by {peak} bytes");
    }

    /// <summary>
    /// Runs <paramref name="load"/> on each damaged file (true: it loaded). Any exception other than the expected one
    /// fails with the case's name; after a rejection <paramref name="check"/> asserts that nothing changed.
    /// </summary>
    static (int Rejected, long WorstAllocation, long PeakGrowth) Run(IEnumerable<(string Name, byte[] Bytes)> cases,
        Func<string, byte[], int, bool> load, Action onLoaded, Action check)
    {
        using var process = Process.GetCurrentProcess();
        long peakBefore = process.PeakWorkingSet64;
        int rejected = 0, i = 0;
        long worst = 0;
        foreach (var (name, bytes) in cases)
        {
            long start = GC.GetTotalAllocatedBytes(precise: true);
            bool loaded;
            try { loaded = load(name, bytes, i++); }
            catch (Exception e) { throw new Xunit.Sdk.XunitException($"{name}: {e.GetType().Name} escaped: {e.Message}"); }
            worst = Math.Max(worst, GC.GetTotalAllocatedBytes(precise: true) - start);
            if (loaded) onLoaded();
            else
            {
                rejected++;
                check();
            }
        }
        process.Refresh();
        return (rejected, worst, process.PeakWorkingSet64 - peakBefore);
    }
}
