using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

/// <summary>
/// A time-dependent system that is not a generated model gets its windows' absolute times through the trainer's
/// adapter (<see cref="TimeShiftedSystem"/>): rates and vector–Jacobian products at t + offset.
/// </summary>
public class TimeShiftedSystemTests
{
    /// <summary>dy/dt = b·y + a·cos(t)·1, with learnable a and b: the rates read the absolute time.</summary>
    sealed class ForcedDecay : nn.Module, IOdeSystem
    {
        public ForcedDecay() : base("forced")
        {
            A = new Parameter(tensor(0.8, ScalarType.Float64));
            B = new Parameter(tensor(-0.3, ScalarType.Float64));
            register_parameter("a", A);
            register_parameter("b", B);
        }

        public Parameter A { get; }
        public Parameter B { get; }

        public Tensor Rates(Tensor t, Tensor y) => y * B + t.cos() * A;
    }

    [Fact]
    public void WindowedLossEqualsSolvingEachWindowAloneAtItsAbsoluteTimes()
    {
        var times = Enumerable.Range(0, 60).Select(i => 0.1 * i).ToArray();
        var values = new double[60, 1];
        for (int i = 0; i < 60; i++) values[i, 0] = Math.Sin(times[i]);   // any data: only the losses are compared
        var data = TrajectoryDataset.Single(times, values, ["y"]);
        int[] starts = [0, 13, 42];
        // Windows of 8 points, each its own trajectory (ids must differ).
        TrajectoryDataset Windows(params int[] s)
            => data.With(s.Select(k => data.Trajectories[0].Slice(k, 8)).Select((w, i) => new Trajectory($"w{s[i]}", w.Times, w.Values)));
        var trainer = new Trainer(new ForcedDecay(), new TrainerOptions
        {
            Solver = NodeDsl.Runtime.Solvers.Rk4, SolverOptions = new SolverOptions { StepSize = 0.05 },
        });
        double batched = trainer.Evaluate(Windows(starts));
        double alone = starts.Average(s => trainer.Evaluate(Windows(s)));
        // Same RK4 steps at the same absolute times up to round-off in t: float64 agreement far below 1e-10 relative.
        Assert.True(Math.Abs(batched - alone) <= 1e-10 * alone, $"batched {batched:R} vs alone {alone:R}");
    }

    [Fact]
    public void VjpIsTheWrappedSystemsAtTheShiftedTimesAndSumsTheTimeGradientForAScalarTime()
    {
        var model = new ForcedDecay();
        var offsets = tensor(new[] { 0.0, 1.5, 4.0 }, [3, 1], ScalarType.Float64);
        var shifted = new TimeShiftedSystem(model) { TimeOffsets = offsets };
        var t = tensor(0.3, ScalarType.Float64);
        var y = tensor(new[] { 1.0, -0.5, 2.0 }, [3, 1], ScalarType.Float64);
        var a = tensor(new[] { 0.7, 1.1, -0.4 }, [3, 1], ScalarType.Float64);

        var got = shifted.Vjp(t, y, a, withTime: true);
        var expected = AutogradRatesVjp.For(model).Vjp(t + offsets, y, a, withTime: true);

        // Identical operations on identical values: exact equality.
        Assert.Equal(expected.F.data<double>().ToArray(), got.F.data<double>().ToArray());
        Assert.Equal(expected.VjpY.data<double>().ToArray(), got.VjpY.data<double>().ToArray());
        for (int i = 0; i < 2; i++)
            Assert.Equal(expected.VjpParams[i]!.data<double>().ToArray(), got.VjpParams[i]!.data<double>().ToArray());
        // A 0-d time gets a 0-d time gradient: the sum of the rows' (contract of IRatesVjp.Vjp).
        Assert.Equal(0, got.VjpT!.dim());
        Assert.Equal(expected.VjpT!.sum().item<double>(), got.VjpT.item<double>(), 14);
        Assert.Equal(shifted.Parameters, AutogradRatesVjp.For(model).Parameters);
    }
}
