using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;

namespace NodeDsl.Models.Tests.Oracle;

/// <summary>
/// The batched tensor rates of every example model equal the model's own C# rates (its [Rates] method, or for
/// Hamiltonian models the scalar form of the derived equations) at 128 random points in float64.
/// </summary>
public class OracleTests
{
    const int Points = 128;

    [Fact]
    public void SpiralNeuralOde() => OracleCheck.AssertAgrees(new Spiral(ModelOptions.Float64(1)), Points, 11);

    [Fact]
    public void LotkaVolterraUde() => OracleCheck.AssertAgrees(new LotkaVolterraUde(ModelOptions.Float64(2)), Points, 12);

    [Fact]
    public void TimeDependentForcing() => OracleCheck.AssertAgrees(new ForcedOscillator(ModelOptions.Float64(3)), Points, 13);

    [Fact]
    public void TimeDependentForcingWithOneSharedTime()
        => OracleCheck.AssertAgrees(new ForcedOscillator(ModelOptions.Float64(3)), Points, 14, perRowTime: false);

    [Fact]
    public void ParametrizedModelWithInputs() => OracleCheck.AssertAgrees(new ParametrizedGrowth(ModelOptions.Float64(4)), Points, 15);

    [Fact]
    public void AugmentedModel() => OracleCheck.AssertAgrees(new AugmentedSpiral(ModelOptions.Float64(5)), Points, 16);

    [Fact]
    public void HamiltonianPendulumWithNeuralPotential() => OracleCheck.AssertAgrees(new NeuralPendulum(ModelOptions.Float64(6)), Points, 17);

    [Fact]
    public void HamiltonianPendulumWithKnownEnergy() => OracleCheck.AssertAgrees(new KnownPendulum(ModelOptions.Float64(7)), Points, 18);

    [Fact]
    public void HamiltonianCoupledOscillators() => OracleCheck.AssertAgrees(new CoupledOscillators(ModelOptions.Float64(8)), Points, 19);

    [Fact]
    public void CustomConvolutionModule() => OracleCheck.AssertAgrees(new ConvField(ModelOptions.Float64(9)), Points, 20);

    [Fact]
    public void EveryRateBodyConstruct() => OracleCheck.AssertAgrees(new ExpressionCoverage(ModelOptions.Float64(12)), Points, 22, scale: 1.2);

    [Fact]
    public void HamiltonianWithInputAndLearnable() => OracleCheck.AssertAgrees(new DrivenWell(ModelOptions.Float64(13)), Points, 23);

    [Fact]
    public void VectorHamiltonianSpringChain() => OracleCheck.AssertAgrees(new SpringChain(ModelOptions.Float64(14)), Points, 24);

    [Fact]
    public void VectorHamiltonianWithNetworks() => OracleCheck.AssertAgrees(new NeuralChain(ModelOptions.Float64(15)), Points, 25);

    [Fact]
    public void SecondOrderWithTimeAndLearnables() => OracleCheck.AssertAgrees(new DrivenOscillator(ModelOptions.Float64(14)), Points, 24);

    [Fact]
    public void SecondOrderNeuralWithLatentVelocity() => OracleCheck.AssertAgrees(new SecondOrderNode(ModelOptions.Float64(15)), Points, 25);

    [Fact]
    public void LagrangianPendulum() => OracleCheck.AssertAgrees(new LagrangianPendulum(ModelOptions.Float64(16)), Points, 26);

    [Fact]
    public void LagrangianDoublePendulum() => OracleCheck.AssertAgrees(new DoublePendulumLagrangian(ModelOptions.Float64(17)), Points, 27);

    [Fact]
    public void LagrangianVecChain() => OracleCheck.AssertAgrees(new LagrangianChain(ModelOptions.Float64(18)), Points, 28);

    [Fact]
    public void LagrangianVecBesideScalarWithTime() => OracleCheck.AssertAgrees(new CoupledVecLagrangian(ModelOptions.Float64(19)), Points, 29);

    [Fact]
    public void HamiltonianWithCustomModulePotential()
        => OracleCheck.AssertAgrees(new CustomPotentialPendulum(ModelOptions.Float64(10)), Points, 21);
}
