using NodeDsl.Numerics;

namespace NodeDsl.Runtime.Tests.Native;

/// <summary>
/// The native integrator, its step tape and the reverse sweep allocate nothing per step: once their buffers exist (the tape
/// keeps its capacity between solves, records included), a solve of 10N steps allocates no more managed memory than a solve of N steps.
/// Not a timing test: it counts bytes with <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
public class NativeAllocationTests
{
    const int Steps = 100;

    public static TheoryData<string, bool, bool> Cases => new()
    {
        { "rk4", true, false }, { "rk4", false, false }, { "dopri5", true, false }, { "dopri5", false, false },
        { "rk4", true, true }, { "dopri5", true, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndReverseSweepAllocateNothingPerStep(string method, bool storeStages, bool records)
    {
        var tableau = NativeMethods.TableauOf(NodeDsl.Runtime.Solvers.ByName(method), out _)!;
        double[] y0 = [0.7, -0.2, 0.1, 0.5];
        double[] times = [0, 0.3, 0.55, 1.0];
        IVectorFieldVjp<double> field = records ? new RecordingTestField(2, [0.9, 0.3, 0.5]) : new TestField(2, [0.9, 0.3, 0.5]);
        var integrator = new RungeKuttaIntegrator<double>(tableau, y0.Length);
        var tape = new StepTape<double>(y0.Length, tableau.Stages, storeStages, records ? y0.Length : 0);
        var sweep = new DiscreteAdjoint<double>(tableau, y0.Length);
        var outputs = new double[times.Length * y0.Length];
        var gradOutputs = Enumerable.Range(0, outputs.Length).Select(i => Math.Cos(i)).ToArray();
        var gradY0 = new double[y0.Length];
        var control = new KeepStep();
        // Fixed steps of 1/steps for rk4; dopri5 starts at that step and the controller keeps it (same step count).
        IntegrationSettings Settings(int steps) => tableau.IsAdaptive
            ? new IntegrationSettings { FirstStep = 1.0 / steps, MaxSteps = 100 * steps }
            : new IntegrationSettings { StepSize = 1.0 / steps };
        var (few, many) = (Settings(Steps), Settings(10 * Steps));

        long Solve(IntegrationSettings settings)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            integrator.Solve(field, y0, times, settings, control, outputs, tape);
            sweep.Backpropagate(field, tape, gradOutputs, gradY0, storeStages ? null : integrator);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // Warm-up: JIT, and the tape grows (by doubling) to the longer solve's length once.
        Solve(many);
        Solve(few);
        long allocatedFew = Solve(few), allocatedMany = Solve(many);
        Assert.Equal(10 * Steps, integrator.AcceptedSteps);
        if (records) Assert.True(tape.RecordedValues > 0, "the tape kept no records");
        // One allocation per step of even the smallest object (24 bytes) would add ≥ 9N·24 = 21 600 bytes for the 9N extra
        // steps; 256 bytes leaves room for incidental runtime allocations that do not scale with the steps (none measured).
        Assert.True(allocatedMany - allocatedFew <= 256,
            $"{method} (stages {(storeStages ? "stored" : "recomputed")}, records {records}): {allocatedFew} bytes for {Steps} steps, {allocatedMany} for {10 * Steps}.");
    }

    [Fact]
    public void AFreshTapeGrowsByDoublingSoRecordingAllocatesLogarithmicallyOften()
    {
        // 1000 steps of 4 stages × 4 values: the state array doubles from 16 values to ≥ 16 000 (≈ 11 growths, each a new
        // array, ≤ 2× the final size in all: Σ 2^k ≤ 2·2^K), the time and step arrays from 16 to 1024 (≈ 7 each).
        var tableau = NativeMethods.TableauOf(NodeDsl.Runtime.Solvers.Rk4, out _)!;
        double[] y0 = [0.7, -0.2, 0.1, 0.5];
        var integrator = new RungeKuttaIntegrator<double>(tableau, y0.Length);
        var outputs = new double[2 * y0.Length];
        var settings = new IntegrationSettings { StepSize = 1e-3 };
        integrator.Solve(new TestField(2, [0.9, 0.3, 0.5]), y0, [0.0, 1.0], settings, new KeepStep(), outputs,
            new StepTape<double>(y0.Length, tableau.Stages, true));   // JIT warm-up
        var tape = new StepTape<double>(y0.Length, tableau.Stages, storeStages: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        integrator.Solve(new TestField(2, [0.9, 0.3, 0.5]), y0, [0.0, 1.0], settings, new KeepStep(), outputs, tape);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long stored = tape.StoredValues * sizeof(double);   // 1000 · 4 · 4 · 8 = 128 000 bytes
        // Doubling allocates at most ~2× the final arrays (states, times and steps) plus the field and a few small objects;
        // 2.5× the stored states bounds it, where growing one step at a time would allocate ~stored²/(2·32 bytes) ≈ 256 MB.
        Assert.True(allocated <= 2.5 * stored, $"recording {tape.Count} steps allocated {allocated} bytes for {stored} bytes of states");
    }
}
