using NodeDsl.Runtime.Export;
using NodeDsl.Runtime.Tests.Export;
using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// Interrupted atomic writes leave <c>.NAME.&lt;guid&gt;.tmp</c> files; the next write or load of NAME removes them once
/// stale (unlocked and older than <see cref="AtomicFile.StaleAfter"/>), and touches nothing else.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-atomic-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static string Guid32() => Guid.NewGuid().ToString("N");

    /// <summary>A leftover named <paramref name="name"/>, last written an hour ago unless <paramref name="old"/> is false.</summary>
    string Leftover(string name, bool old = true)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "partial write");
        if (old) File.SetLastWriteTimeUtc(path, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromMinutes(50));
        return path;
    }

    string Stale(string target) => Leftover($".{target}.{Guid32()}.tmp");

    [Fact]
    public void StaleTemporaryFilesOfACheckpointAreRemovedOnTheNextWriteAndLoadAndNothingElseIs()
    {
        var path = Path.Combine(folder, "run.ckpt");
        var stale = Stale("run.ckpt");
        var fresh = Leftover($".run.ckpt.{Guid32()}.tmp", old: false);      // may belong to a writer about to rename it
        var held = Stale("run.ckpt");                                        // a writer still at work holds it open
        string[] lookalikes =
        [
            Leftover(".run.ckpt.notaguid.tmp"), Leftover($".other.ckpt.{Guid32()}.tmp"), Leftover($"run.ckpt.{Guid32()}.tmp"),
            Leftover($".run.ckpt.{Guid32().ToUpperInvariant()}.tmp"), Leftover($".run.ckpt.{Guid32()}.tmp.keep"), Leftover($"..run.ckpt.{Guid32()}.tmp"),
        ];
        using (new FileStream(held, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            CheckpointFile.Write(path, w => w.Write(42));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(held));
        Assert.All(lookalikes, f => Assert.True(File.Exists(f), f));

        CheckpointFile.Write(path, w => w.Write(43));                        // released now: stale, so removed
        Assert.False(File.Exists(held));

        var beforeRead = Stale("run.ckpt");
        Assert.Equal(BitConverter.GetBytes(43), CheckpointFile.ReadPayload(path));
        Assert.False(File.Exists(beforeRead));
        var beforeLoad = Stale("run.ckpt");
        Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(path));   // not a training checkpoint's payload
        Assert.False(File.Exists(beforeLoad));
        Assert.All(lookalikes, f => Assert.True(File.Exists(f), f));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void StaleTemporaryFilesOfAWeightFileAreRemovedOnTheNextSaveAndLoad()
    {
        var path = Path.Combine(folder, "model.nodew");
        var other = Stale("other.nodew");
        using var model = new TinyOscillator(seed: 1);
        var leftover = Stale("model.nodew");
        model.SaveWeights(path);
        Assert.False(File.Exists(leftover));

        foreach (var load in new Action[] { () => model.LoadWeights(path), () => WeightFile.Read(path), () => WeightFile.ReadMetadata(path) })
        {
            leftover = Stale("model.nodew");
            load();
            Assert.False(File.Exists(leftover));
        }
        Assert.True(File.Exists(other));
    }
}
