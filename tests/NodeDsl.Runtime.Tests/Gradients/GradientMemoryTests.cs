using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Peak native memory of one solve + backward at 100 and 1000 fixed RK4 steps: direct backprop keeps every step's
/// graph, the adjoint methods do not.
/// </summary>
[Collection(nameof(GradientCollection))]
public class GradientMemoryTests
{
    /// <summary>A [32, 32] state and a 32-wide hidden layer: every activation is an 8 KiB tensor, above the mmap threshold.</summary>
    sealed class WideOde : nn.Module<Tensor, Tensor>, IOdeSystem
    {
        readonly nn.Module<Tensor, Tensor> net;

        public WideOde() : base(nameof(WideOde))
        {
            manual_seed(9);
            net = nn.Sequential(nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 32));
            RegisterComponents();
            this.to(float64);
        }

        public override Tensor forward(Tensor y) => ScalarOps.Mul(net.forward(y), 0.1);

        public Tensor Rates(Tensor t, Tensor y) => forward(y);
    }

    /// <summary>Samples the heap whenever the solver evaluates the rates or their VJP, forward and backward.</summary>
    sealed class Probe(WideOde inner, int every) : IOdeSystem, IRatesVjp
    {
        readonly AutogradRatesVjp vjp = AutogradRatesVjp.For(inner);
        int calls;
        public long Peak { get; private set; }

        public IReadOnlyList<Tensor> Parameters => vjp.Parameters;

        public Tensor Rates(Tensor t, Tensor y)
        {
            Sample();
            return inner.Rates(t, y);
        }

        public RatesVjpResult Vjp(Tensor t, Tensor y, Tensor a, bool withTime = false)
        {
            Sample();
            return vjp.Vjp(t, y, a, withTime);
        }

        public void Sample(bool always = false)
        {
            // malloc_info walks the free lists: sample every few evaluations (a peak spans many evaluations).
            if (!always && calls++ % every != 0) return;
            Peak = Math.Max(Peak, NativeHeap.InUse());
        }
    }

    internal static long PeakBytes(GradientMethod method, int steps)
    {
        var system = new WideOde();
        // Direct's peak is the end of the forward pass (the whole graph), sampled there; sampling a 100 MB heap at every
        // step would dominate the test's run time.
        var probe = new Probe(system, method == GradientMethod.Direct ? int.MaxValue : 16);
        using var scope = NewDisposeScope();
        manual_seed(10);
        var y0 = randn(32, 32, dtype: float64).requires_grad_(true);
        var ts = tensor(new[] { 0.0, 1.0 }, float64);
        NativeHeap.Trim();
        long baseline = NativeHeap.InUse();
        var solution = Ode.Solve(probe, y0, ts, Runtime.Solvers.Rk4, new SolverOptions { StepSize = 1.0 / steps }, method);
        probe.Sample(always: true);
        solution.Ys.square().sum().backward();
        probe.Sample(always: true);
        return probe.Peak - baseline;
    }

    [Fact]
    public void AdjointMethodsDoNotGrowWithTheNumberOfSteps()
    {
        if (!NativeHeap.IsAvailable) return; // malloc_info is glibc-only
        // Other tests run before or after this collection, never beside it. One warm-up solve per method first, so lazy
        // initialisation (thread pools, allocator arenas) is not counted as the first measurement's peak.
        foreach (var method in new[] { GradientMethod.Backsolve(), GradientMethod.Checkpointed(), GradientMethod.Direct })
            PeakBytes(method, 10);
        var methods = new (string Name, GradientMethod Method)[]
        {
            ("backsolve", GradientMethod.Backsolve()),
            ("checkpointed", GradientMethod.Checkpointed(new CheckpointOptions { StepsPerSegment = 10 })),
            ("direct", GradientMethod.Direct),
        };
        // Adjoints first: after direct backprop frees its ~100 MiB graph the heap is fragmented and sampling it is slow.
        // The allocator adds positive noise of a few MiB (arena tops, thread caches, earlier tests' fragments): the
        // adjoints take the smaller of two runs; direct's growth is far above the noise.
        long Measure(GradientMethod method, int steps)
            => method == GradientMethod.Direct ? PeakBytes(method, steps) : Math.Min(PeakBytes(method, steps), PeakBytes(method, steps));
        var growth = methods.ToDictionary(m => m.Name, m => (Small: Measure(m.Method, 100), Large: Measure(m.Method, 1000)));
        string report = string.Join("; ", growth.Select(p => $"{p.Key}: {p.Value.Small / 1024} KiB → {p.Value.Large / 1024} KiB"));
        long directGrowth = growth["direct"].Large - growth["direct"].Small;
        // Direct: 900 more steps keep ~900 more steps of graph (~190 KiB each here, ~170 MiB); at least 20 MiB.
        Assert.True(directGrowth > 20L << 20, report);
        // Adjoints: the backsolve holds no per-step state; the checkpointed one holds one 10-step graph plus one 8 KiB
        // checkpoint per segment (+720 KiB at 1000 steps). Allow 6 MiB for that and allocator noise, and at most 8 % of
        // what direct backprop added.
        foreach (var name in new[] { "backsolve", "checkpointed" })
        {
            long added = growth[name].Large - growth[name].Small;
            Assert.True(added <= 6L << 20 && added <= directGrowth * 2 / 25, report);
        }
    }
}
