using NodeDsl.Models.Tests.Gradients;
using NodeDsl.Models.Tests.Models;
using NodeDsl.Numerics;
using NodeDsl.Runtime;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// The VJP from a record (<see cref="RatesKernel{T}.VjpFromRecord"/>: the networks' inputs, outputs and hidden activations
/// that the forward solve's <see cref="RatesKernel{T}.RecordRates"/> kept) equals the VJP that evaluates its own point
/// (<see cref="RatesKernel{T}.Vjp"/>, itself checked against TorchSharp in NativeKernelTests), and a direct-gradient solve
/// whose tape keeps the records gives the same gradient as one whose sweep evaluates the networks again. float64.
/// </summary>
public class NativeRecordTests
{
    public static TheoryData<string> Eligible => NativeKernelTests.Eligible;

    /// <summary>
    /// Both paths run the same generated <c>RatesCore</c> on the same values and then the same <c>VjpCore</c> on its record, so
    /// they agree bit for bit (tolerance 0); a record read from the wrong offset, or a VJP that read the workspace instead of
    /// the record, is O(1) off. Between recording and the VJP the workspace is overwritten by a VJP at another point.
    /// </summary>
    [Theory]
    [MemberData(nameof(Eligible))]
    public void VjpFromARecordEqualsTheVjpThatEvaluatesItsPoint(string name)
    {
        var model = GeneratedVjpTests.Create(name, 3);
        var native = Assert.IsAssignableFrom<INativeKernels>(model);
        var layout = native.KernelLayout;
        var kernel = native.CreateKernel<double>();
        const int batch = 5;
        int n = layout.StateSize, k = layout.InputSize;
        var rng = new Random(11);
        var theta = new double[layout.ParameterCount];
        native.ReadParameters<double>(theta);
        var t = NativeComparison.Sample(rng, batch, 3.0);
        var y = NativeComparison.Sample(rng, batch * n, 1.5);
        var a = NativeComparison.Sample(rng, batch * n, 1.0);
        var inputs = NativeComparison.Sample(rng, batch * k, 1.0);
        var workspace = kernel.CreateWorkspace(batch);

        var (f, vjpY, vjpTheta, vjpInputs, vjpT) = (new double[y.Length], new double[y.Length], new double[theta.Length], new double[inputs.Length], new double[batch]);
        kernel.Vjp(t, y, a, theta, inputs, f, vjpY, vjpTheta, vjpInputs, vjpT, workspace);

        var record = new double[kernel.RecordLength(batch)];
        Assert.Equal(batch * layout.RecordPerRow, record.Length);
        var recordedF = new double[y.Length];
        kernel.RecordRates(t, y, theta, inputs, recordedF, record, workspace);
        var other = NativeComparison.Sample(rng, batch * n, 1.5);
        kernel.Vjp(t, other, a, theta, inputs, new double[y.Length], new double[y.Length], new double[theta.Length], new double[inputs.Length], new double[batch], workspace);
        var (rY, rTheta, rInputs, rT) = (new double[y.Length], new double[theta.Length], new double[inputs.Length], new double[batch]);
        kernel.VjpFromRecord(t, y, a, theta, inputs, record, rY, rTheta, rInputs, rT, workspace);

        Assert.Equal(f, recordedF);
        Assert.Equal(vjpY, rY);
        Assert.Equal(vjpTheta, rTheta);
        Assert.Equal(vjpInputs, rInputs);
        Assert.Equal(vjpT, rT);
    }

    /// <summary>
    /// The spiral's direct gradient through the native integrator and reverse sweep with and without records on the tape
    /// (rk4 with Hermite outputs; Bogacki–Shampine 3 at a fixed step, first same as last, with Hermite outputs): the record is the forward
    /// evaluation of the same point that the recomputing sweep repeats operation for operation, so the gradients agree bit
    /// for bit (DiscreteAdjointTests checks, with a counting field, that every VJP then starts from a record).
    /// </summary>
    [Theory]
    [InlineData("rk4")]
    [InlineData("bosh3")]
    public void ADirectGradientFromRecordsEqualsOneThatEvaluatesTheNetworksAgain(string method)
    {
        var model = GeneratedVjpTests.Create(nameof(Spiral), 3);
        var native = (INativeKernels)model;
        var kernel = native.CreateKernel<double>();
        // The classic RK4 and Bogacki–Shampine's 3rd-order FSAL method (Bogacki & Shampine 1989) without its error estimate.
        var tableau = method == "rk4"
            ? new RungeKuttaTableau([0, 0.5, 0.5, 1], [[], [0.5], [0, 0.5], [0, 0, 1]], [1 / 6.0, 1 / 3.0, 1 / 3.0, 1 / 6.0], null, null, null)
            : new RungeKuttaTableau([0, 0.5, 0.75, 1], [[], [0.5], [0, 0.75], [2 / 9.0, 1 / 3.0, 4 / 9.0]], [2 / 9.0, 1 / 3.0, 4 / 9.0, 0], null, null, null);
        Assert.Equal(method == "bosh3", tableau.IsFsal);
        const int rows = 4;
        var rng = new Random(5);
        var y0 = NativeComparison.Sample(rng, rows * 2, 1.0);
        double[] times = [0, 0.13, 0.4, 0.41, 0.9];
        var gradOutputs = NativeComparison.Sample(rng, times.Length * y0.Length, 1.0);
        var settings = new IntegrationSettings { StepSize = 0.07 };

        (double[] DY0, double[] DTheta, int Vjps, long Recorded) Gradient(bool records)
        {
            var theta = new double[native.KernelLayout.ParameterCount];
            native.ReadParameters<double>(theta);
            var field = new KernelField<double>(kernel, rows, theta, [], null);
            var integrator = new RungeKuttaIntegrator<double>(tableau, field.Length);
            var tape = new StepTape<double>(field.Length, tableau.Stages, storeStages: true, records ? field.RecordLength : 0);
            var outputs = new double[times.Length * field.Length];
            integrator.Solve(field, y0, times, settings, new KeepStep(), outputs, tape);
            var dy0 = new double[field.Length];
            var sweep = new DiscreteAdjoint<double>(tableau, field.Length);
            sweep.Backpropagate(field, tape, gradOutputs, dy0);
            return (dy0, field.GradTheta, sweep.VjpEvaluations, tape.RecordedValues);
        }

        var recomputed = Gradient(records: false);
        var recorded = Gradient(records: true);
        Assert.Equal(0, recomputed.Recorded);
        Assert.True(recorded.Recorded > 0, "the tape kept no records");
        Assert.Equal(recomputed.Vjps, recorded.Vjps);
        Assert.Equal(recomputed.DY0, recorded.DY0);
        Assert.Equal(recomputed.DTheta, recorded.DTheta);
    }

    // Fixed-step methods never ask the controller.
    sealed class KeepStep : IStepControl
    {
        public bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude)
        {
            nextStepMagnitude = stepMagnitude;
            return true;
        }
    }
}
