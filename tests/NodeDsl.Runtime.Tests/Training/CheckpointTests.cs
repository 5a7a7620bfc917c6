using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static TrainerOptions Options(int epochs, string path, bool resume = false) => LinearTrainingTests.Options(epochs, 10.0 / 39) with
    {
        CheckpointPath = path,
        Resume = resume,
        Schedule = LearningRateSchedule.Step(2, 0.5),   // makes the epoch count matter for the learning rate too
    };

    static LinearRates Fresh() => new(new double[,] { { 0, 0 }, { 0, 0 } });

    [Fact]
    public void ResumedRunIsBitIdenticalToAnUninterruptedOne()
    {
        var data = LinearData.Dataset();
        var straight = Fresh();
        var full = new Trainer(straight, Options(6, Path.Combine(folder, "straight.ckpt"))).Fit(data);

        var path = Path.Combine(folder, "interrupted.ckpt");
        new Trainer(Fresh(), Options(3, path)).Fit(data);
        // A different starting point proves the weights come from the checkpoint.
        var resumedModel = new LinearRates(new double[,] { { 5, 5 }, { 5, 5 } });
        var resumed = new Trainer(resumedModel, Options(6, path, resume: true)).Fit(data);

        Assert.Equal(straight.Values(), resumedModel.Values());   // exact equality of doubles
        Assert.Equal(full.History.Select(m => m.Loss), resumed.History.Select(m => m.Loss));
        Assert.Equal(6, TrainingCheckpoint.Load(path).EpochsCompleted);
    }

    [Fact]
    public void TruncatedCorruptAndMismatchedCheckpointsFailClearlyAndStayUntouched()
    {
        var data = LinearData.Dataset();
        var good = Path.Combine(folder, "good.ckpt");
        new Trainer(Fresh(), Options(1, good)).Fit(data);
        var bytes = File.ReadAllBytes(good);

        var truncated = Path.Combine(folder, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 7)]);
        AssertFails(truncated, "truncated");

        var corrupt = Path.Combine(folder, "corrupt.ckpt");
        var flipped = (byte[])bytes.Clone();
        flipped[^20] ^= 0x40;
        File.WriteAllBytes(corrupt, flipped);
        AssertFails(corrupt, "checksum");

        var header = Path.Combine(folder, "header.ckpt");
        File.WriteAllBytes(header, bytes[..30]);
        AssertFails(header, "header");

        var version = Path.Combine(folder, "version.ckpt");
        var newer = (byte[])bytes.Clone();
        newer[8] = 99;   // the int32 format version follows the 8-byte magic
        File.WriteAllBytes(version, newer);
        AssertFails(version, "format version 99");

        var wrongShape = Path.Combine(folder, "shape.ckpt");
        File.WriteAllBytes(wrongShape, bytes);
        var big = new LinearRates(new double[3, 3]);
        AssertFails(wrongShape, "parameter 'A' has shape [2, 2] in the checkpoint but [3, 3] in the model", big);

        var renamed = new LinearRates(new double[2, 2], parameterName: "B");
        AssertFails(wrongShape, "parameter 'B' is missing from the checkpoint", renamed);
    }

    void AssertFails(string path, string expected, LinearRates? model = null)
    {
        var before = File.ReadAllBytes(path);
        var target = model ?? Fresh();
        var weights = target.Values();
        var e = Assert.Throws<CheckpointException>(() => new Trainer(target, Options(3, path, resume: true)).Fit(LinearData.Dataset()));
        Assert.Contains(expected, e.Message);
        Assert.Contains(Path.GetFileName(path), e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));     // nothing overwritten
        Assert.Equal(weights, target.Values());             // model untouched
    }

    [Fact]
    public void FailedWriteLeavesTheOldFileAndNoPartialFile()
    {
        var path = Path.Combine(folder, "atomic.ckpt");
        CheckpointFile.Write(path, w => w.Write(42));
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<IOException>(() => CheckpointFile.Write(path, w =>
        {
            w.Write(new byte[4096]);      // part of a payload already on disk in the temporary file
            throw new IOException("serialisation failed");
        }));
        Assert.Equal("serialisation failed", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));
        Assert.Equal(BitConverter.GetBytes(42), CheckpointFile.ReadPayload(path));
    }
}
