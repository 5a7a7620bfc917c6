using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// A bad step never reaches the weights or a checkpoint: non-finite losses, gradients and weights and runaway dynamics
/// stop training with a <see cref="TrainingDivergedException"/>, the model holds the weights of the last completed
/// epoch, the checkpoint is untouched and the run can be resumed.
/// </summary>
public sealed class DivergenceTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("nodedsl-diverge-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    const double Step = 10.0 / 39;

    // Two whole trajectories per epoch, one per batch, in dataset order: batch 1 is always trajectory "b".
    static TrainerOptions Options(int epochs, string? checkpoint = null, bool resume = false) => new()
    {
        Epochs = epochs,
        Seed = 3,
        Solver = NodeDsl.Runtime.Solvers.Rk4,
        SolverOptions = new SolverOptions { StepSize = Step },
        Sampler = new WholeTrajectorySampler { BatchSize = 1, Shuffle = false },
        Optimizer = OptimizerSettings.Adam(0.05),
        CheckpointPath = checkpoint,
        Resume = resume,
    };

    // Trajectories "a" and "b" of the damped rotation; with huge = true, b's last observation is 1e200 (finite, so
    // the data are accepted, but its squared error is +Inf in float64).
    static TrajectoryDataset Data(bool huge)
    {
        var a = LinearData.Dataset(points: 20, id: "a").Trajectories[0];
        var b = LinearData.Dataset(points: 20, x0: 0.2, y0: -0.5, id: "b").Trajectories[0];
        var values = (double[,])b.Values.Clone();
        if (huge) values[values.GetLength(0) - 1, 0] = 1e200;
        return new TrajectoryDataset(["x", "y"], [], [a, new Trajectory("b", b.Times, values)]);
    }

    static LinearRates Fresh() => new(new double[,] { { 0.1, -0.2 }, { 0.3, 0.0 } });

    [Fact]
    public void HugeObservationStopsBeforeTheStepAndRestoresTheWeightsOfTheLastEpoch()
    {
        var model = Fresh();
        var initial = model.Values();
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, Options(epochs: 3)).Fit(Data(huge: true)));

        Assert.Equal(DivergenceKind.NonFiniteLoss, e.Kind);
        Assert.Equal((0, 1, 0), (e.Epoch, e.Batch, e.EpochsKept));
        // Batch 0 ("a") had already stepped; nothing of the failed epoch is kept, so these are the initial weights, exactly.
        Assert.Equal(initial, model.Values());
        Assert.Contains("epoch 1, batch 2 of 2", e.Message);
        Assert.Contains("1E+200", e.Message);
        Assert.Contains("learning rate", e.Message);
        Assert.Contains("GradientClipNorm", e.Message);
    }

    [Fact]
    public void DivergenceNeverOverwritesTheCheckpointAndTheRunResumes()
    {
        var path = Path.Combine(folder, "run.ckpt");
        var first = Fresh();
        new Trainer(first, Options(epochs: 2, path)).Fit(Data(huge: false));
        var saved = File.ReadAllBytes(path);
        var afterTwo = first.Values();

        // Resumed on data with the bad point: epoch 2's second batch diverges.
        var resumed = Fresh();
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(resumed, Options(epochs: 4, path, resume: true)).Fit(Data(huge: true)));
        Assert.Equal((2, 1, 2), (e.Epoch, e.Batch, e.EpochsKept));
        Assert.Contains("was not overwritten", e.Message);
        Assert.Equal(afterTwo, resumed.Values());             // exactly the checkpoint's weights, all finite
        Assert.Equal(saved, File.ReadAllBytes(path));         // the file is untouched
        Assert.Equal(2, TrainingCheckpoint.Load(path).EpochsCompleted);

        // With the data fixed, resuming ends where an uninterrupted clean run ends, bit for bit.
        var fixedRun = Fresh();
        new Trainer(fixedRun, Options(epochs: 4, path, resume: true)).Fit(Data(huge: false));
        var straight = Fresh();
        new Trainer(straight, Options(epochs: 4)).Fit(Data(huge: false));
        Assert.Equal(straight.Values(), fixedRun.Values());
    }

    /// <summary>dz/dt = A z that counts its evaluations (the measure of work, instead of wall time).</summary>
    sealed class CountingLinear : nn.Module, IOdeSystem
    {
        public CountingLinear(double[,] initial) : base("counting")
        {
            Matrix = new Parameter(tensor(initial.Cast<double>().ToArray(), [2, 2], ScalarType.Float64));
            register_parameter("A", Matrix);
        }

        public Parameter Matrix { get; }
        public long Evaluations { get; private set; }

        public Tensor Rates(Tensor t, Tensor y)
        {
            Evaluations++;
            return y.matmul(Matrix.t());
        }
    }

    [Fact]
    public void HugeLearningRateIsStoppedAsRunawayDynamicsWithinABoundedNumberOfSteps()
    {
        var model = new CountingLinear(new double[,] { { 0.1, -0.2 }, { 0.3, 0.0 } });
        var initial = model.Matrix.detach().data<double>().ToArray();
        var options = Options(epochs: 5) with
        {
            Solver = NodeDsl.Runtime.Solvers.Dopri5,
            SolverOptions = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 },
            Optimizer = OptimizerSettings.Adam(1e6),
        };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, options).Fit(Data(huge: false)));

        Assert.Equal(DivergenceKind.RunawayDynamics, e.Kind);
        Assert.Equal((0, 1), (e.Epoch, e.Batch));             // the first solve after the first (huge) step
        Assert.IsType<MaxStepsExceededException>(e.InnerException);
        Assert.Equal(initial, model.Matrix.detach().data<double>().ToArray());
        Assert.Contains("run away", e.Message);
        // Work is bounded by the budget: batch 0 (a few dozen Dopri5 steps, 6 evaluations each) plus at most
        // MinimumSteps = 1000 steps of the runaway solve, ≈ 6.3e3 evaluations; without the budget the solve runs to
        // MaxSteps = 100 000 steps (6e5 evaluations). 10 000 separates the two with margin for the first batch.
        Assert.True(model.Evaluations < 10_000, $"{model.Evaluations} evaluations");
    }

    [Fact]
    public void AStepThatOverflowsTheWeightsIsUndoneAtTheEndOfTheEpoch()
    {
        var model = Fresh();
        var initial = model.Values();
        // SGD with lr = 1e308: any gradient entry above ~1.8 in size sends its weight to ±Inf.
        var scaled = new TrajectoryDataset(["x", "y"], [], [LinearData.Dataset(points: 20, x0: 60, y0: 30, id: "a").Trajectories[0]]);
        var options = Options(epochs: 2) with { Optimizer = OptimizerSettings.Sgd(1e308) };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, options).Fit(scaled));

        Assert.Equal(DivergenceKind.NonFiniteWeights, e.Kind);
        Assert.Equal((0, null), (e.Epoch, e.Batch));           // found after the epoch's only batch
        Assert.Contains("'A'", e.Message);
        Assert.Equal(initial, model.Values());
    }

    /// <summary>dy/dt = −√p · y with p = 0: the loss is finite but ∂√p/∂p = +Inf at 0.</summary>
    sealed class SqrtRate : nn.Module, IOdeSystem
    {
        public SqrtRate() : base("sqrt")
        {
            P = new Parameter(tensor(0.0, ScalarType.Float64));
            register_parameter("p", P);
        }

        public Parameter P { get; }

        public Tensor Rates(Tensor t, Tensor y) => -y * P.sqrt();
    }

    [Fact]
    public void NonFiniteGradientIsRefusedAndNamesTheParameter()
    {
        var model = new SqrtRate();
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, Options(epochs: 1)).Fit(Data(huge: false)));
        Assert.Equal(DivergenceKind.NonFiniteGradient, e.Kind);
        Assert.Equal((0, 0), (e.Epoch, e.Batch));
        Assert.Contains("gradient of 'p'", e.Message);
        Assert.Equal(0.0, model.P.detach().item<double>());
    }

    [Theory]
    [InlineData(0.5)]    // clips (the norm is ~7)
    [InlineData(100.0)]  // leaves the gradients alone
    public void ClippingIsLibtorchsClipGradNormBitForBit(double maxNorm)
    {
        // The guard clips without reading the norm on the host; the result must be exactly TorchSharp's (libtorch's).
        Parameter[] Make()
        {
            var ps = new[] { new[] { 3.0, -4.0, 12.0 }, new[] { 0.5, 7.0 }, new[] { -0.25 } }
                .Select(v => new Parameter(tensor(v, ScalarType.Float64))).ToArray();
            foreach (var p in ps) p.grad = p.detach().mul(1.7).sin().mul(3.0);
            return ps;
        }
        var reference = Make();
        nn.utils.clip_grad_norm_(reference, maxNorm);
        var clipped = Make();
        var loss = tensor(1.0, ScalarType.Float64);
        var reading = new StepGuard(clipped, maxNorm).ClipAndRead(new TrainingObjective.Result(loss, loss, null, new SolverStats(), null));

        Assert.True(reading.IsFinite);
        for (int i = 0; i < reference.Length; i++)
            Assert.Equal(reference[i].grad!.data<double>().ToArray(), clipped[i].grad!.data<double>().ToArray());
    }
}
