using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;

namespace NodeDsl.Models.Tests.Oracle;

/// <summary>
/// The derived Hamiltonian rates are q' = ∂H/∂p and p' = −∂H/∂q of the user's own [Energy] member: checked against
/// central differences of the scalar energy, independently of the symbolic derivative.
/// </summary>
public class HamiltonianDerivativeTests
{
    // Central differences with h = 1e-5 have truncation error h²/6·|H'''| ≈ 1e-10 and rounding error ≈ 1e-16/h = 1e-11
    // for energies of order one, so 1e-6 is loose enough to be robust and tight enough to catch any wrong term.
    const double Step = 1e-5;
    const double Tolerance = 1e-6;

    public static TheoryData<string> Models => new() { nameof(NeuralPendulum), nameof(KnownPendulum), nameof(CoupledOscillators), nameof(CustomPotentialPendulum),
        nameof(SpringChain), nameof(NeuralChain) };

    static (OdeModel Model, Func<double, double[], double> Energy) Create(string name) => name switch
    {
        nameof(NeuralPendulum) => With(new NeuralPendulum(ModelOptions.Float64(1)), m => m.ScalarEnergy),
        nameof(KnownPendulum) => With(new KnownPendulum(ModelOptions.Float64(1)), m => m.ScalarEnergy),
        nameof(CoupledOscillators) => With(new CoupledOscillators(ModelOptions.Float64(1)), m => m.ScalarEnergy),
        nameof(SpringChain) => With(new SpringChain(ModelOptions.Float64(1)), m => m.ScalarEnergy),
        nameof(NeuralChain) => With(new NeuralChain(ModelOptions.Float64(1)), m => m.ScalarEnergy),
        _ => With(new CustomPotentialPendulum(ModelOptions.Float64(1)), m => m.ScalarEnergy),
    };

    static (OdeModel, Func<double, double[], double>) With<T>(T model, Func<T, Func<double, double[], double[]?, double>> energy) where T : OdeModel
        => (model, (t, y) => energy(model)(t, y, null));

    [Theory]
    [MemberData(nameof(Models))]
    public void RatesAreHamiltonsEquationsOfTheEnergy(string name)
    {
        var (model, energy) = Create(name);
        var rng = new Random(5);
        int n = model.Layout.StateSize;
        for (int trial = 0; trial < 20; trial++)
        {
            double t = 2 * rng.NextDouble();
            var y = Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
            var rates = model.ScalarRates(t, y);
            for (int j = 0; j < n; j++)
            {
                var plus = (double[])y.Clone();
                var minus = (double[])y.Clone();
                plus[j] += Step;
                minus[j] -= Step;
                var dH = (energy(t, plus) - energy(t, minus)) / (2 * Step);
                // y = (q, p) pairs in declaration order; component j of a Vec pairs with component j of its partner.
                var info = model.Layout.States.First(s => s.Offset <= j && j < s.Offset + s.Size);
                var partner = PartnerOffset(model.Layout, info) + (j - info.Offset);
                var expected = info.Kind == StateKind.Momentum ? dH : -dH;   // ∂H/∂p → q' ; −∂H/∂q → p'
                Assert.True(System.Math.Abs(rates[partner] - expected) <= Tolerance * System.Math.Max(1, System.Math.Abs(expected)),
                    $"{name}: rate of component {partner} is {rates[partner]:R}, finite difference gives {expected:R}");
            }
        }
    }

    // The i-th momentum pairs with the i-th coordinate: ∂H/∂p_i is the rate of q_i and −∂H/∂q_i the rate of p_i.
    static int PartnerOffset(ModelLayout layout, StateInfo state)
    {
        var coordinates = layout.States.Where(s => s.Kind == StateKind.Coordinate).ToList();
        var momenta = layout.States.Where(s => s.Kind == StateKind.Momentum).ToList();
        return state.Kind == StateKind.Momentum
            ? coordinates[momenta.IndexOf(state)].Offset
            : momenta[coordinates.IndexOf(state)].Offset;
    }
}
