using NodeDsl.Models.Tests.Gradients;
using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Native;

/// <summary>
/// The generated native kernels of every eligible oracle model agree with the model's generated TorchSharp <c>Rates</c> and
/// <c>Vjp</c> (themselves checked against the scalar oracle and autograd) on the rates and every VJP part: aᵀ∂f/∂y, each
/// parameter block of aᵀ∂f/∂θ, the per-trajectory inputs and aᵀ∂f/∂t.
/// </summary>
public class NativeKernelTests(ITestOutputHelper output)
{
    /// <summary>
    /// Both sides evaluate the same formulas in float64 and differ only in rounding order (the perceptron's dot products are
    /// summed by libtorch's blocked GEMM vs a plain loop, pow(x, w) vs x·x·x, …): a few ulps per operation, ~1e-15 of a
    /// result's largest entry for these models. Errors are measured against that entry (entries near zero carry absolute,
    /// not relative, rounding). 1e-12 leaves three orders of headroom and still catches any wrong term.
    /// </summary>
    const double Float64Tolerance = 1e-12;

    /// <summary>
    /// float32 on both sides (eps 6e-8): results are sums over up to 32 hidden units and chains of ~20 elementary functions
    /// (ExpressionCoverage) whose rounding differs in order between libtorch and the kernels. Measured worst: 6.1e-7 of the
    /// largest entry (LotkaVolterraUde's first-layer bias gradient); 1e-5 leaves 16× headroom and still fails for any
    /// wrong term, which is O(1) off.
    /// </summary>
    const double Float32Tolerance = 1e-5;

    static readonly string[] EligibleModels =
    [
        nameof(Spiral), nameof(LotkaVolterraUde), nameof(ForcedOscillator), nameof(ParametrizedGrowth),
        nameof(AugmentedSpiral), nameof(KnownPendulum), nameof(ExpressionCoverage), nameof(DrivenWell),
        nameof(SpringChain),
        nameof(DrivenOscillator), nameof(SecondOrderNode),
    ];

    public static TheoryData<string> Eligible => new(EligibleModels);

    public static TheoryData<string, int, bool> Float64Cases
    {
        get
        {
            var cases = new TheoryData<string, int, bool>();
            foreach (var name in EligibleModels)
                foreach (var (batch, perRow) in new[] { (1, false), (3, true), (64, true), (64, false) })
                    cases.Add(name, batch, perRow);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Float64Cases))]
    public void Float64KernelsEqualTheTorchSharpRatesAndVjp(string name, int batch, bool perRowTime)
    {
        var model = GeneratedVjpTests.Create(name, 3);
        var outcome = NativeComparison.Compare<double>(model, new NativeComparison.Point(batch, perRowTime, SharedInputs: false, Seed: 100 + batch));
        output.WriteLine($"{name} batch {batch} (per-row time: {perRowTime}): worst relative error {outcome.Worst:E2} in {outcome.Where}");
        Assert.True(outcome.Worst <= Float64Tolerance, $"{name}: {outcome.Where} relative error {outcome.Worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Eligible))]
    public void Float32KernelsAgreeWithTorchSharpInFloat32(string name)
    {
        var model = Float32(name);
        var outcome = NativeComparison.Compare<float>(model, new NativeComparison.Point(20, PerRowTime: true, SharedInputs: false, Seed: 7));
        output.WriteLine($"{name} float32: worst relative error {outcome.Worst:E2} in {outcome.Where}");
        Assert.True(outcome.Worst <= Float32Tolerance, $"{name}: {outcome.Where} relative error {outcome.Worst:E2}");
    }

    [Fact]
    public void OneSharedInputRowGetsItsGradientSummedOverTrajectories()
    {
        var outcome = NativeComparison.Compare<double>(new ParametrizedGrowth(ModelOptions.Float64(4)),
            new NativeComparison.Point(16, PerRowTime: true, SharedInputs: true, Seed: 5));
        Assert.True(outcome.Worst <= Float64Tolerance, $"{outcome.Where} relative error {outcome.Worst:E2}");
    }

    [Theory]
    [InlineData(nameof(ConvField))]
    [InlineData(nameof(CustomPotentialPendulum))]
    [InlineData(nameof(NeuralPendulum))]
    [InlineData(nameof(CoupledOscillators))]
    [InlineData(nameof(NeuralChain))]
    [InlineData(nameof(LagrangianPendulum))]
    [InlineData(nameof(NeuralLagrangian))]
    public void CustomModulesAndNetworksInsideEnergiesHaveNoNativeKernels(string name)
    {
        var model = GeneratedVjpTests.Create(name, 1);
        Assert.False(model is INativeKernels, $"{name} should stay TorchSharp-only");
        Assert.False(model is NodeDsl.Numerics.IRatesKernelSource);
    }

    static OdeModel Float32(string name)
    {
        var options = new ModelOptions { DType = ScalarType.Float32, Seed = 3 };
        return name switch
        {
            nameof(Spiral) => new Spiral(options),
            nameof(LotkaVolterraUde) => new LotkaVolterraUde(options),
            nameof(ForcedOscillator) => new ForcedOscillator(options),
            nameof(ParametrizedGrowth) => new ParametrizedGrowth(options),
            nameof(AugmentedSpiral) => new AugmentedSpiral(options),
            nameof(KnownPendulum) => new KnownPendulum(options),
            nameof(ExpressionCoverage) => new ExpressionCoverage(options),
            nameof(DrivenWell) => new DrivenWell(options),
            nameof(SpringChain) => new SpringChain(options),
            nameof(DrivenOscillator) => new DrivenOscillator(options),
            nameof(SecondOrderNode) => new SecondOrderNode(options),
            _ => throw new ArgumentException(name, nameof(name)),
        };
    }
}
