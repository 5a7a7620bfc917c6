using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests;

/// <summary>
/// Hamiltonian models over Vec coordinates and momenta: the derived rates against the spring chain's forces derived by
/// hand, and the symplectic solvers, which split y into q and p from the layout, against closed-form solutions.
/// </summary>
public class VectorHamiltonianTests
{
    const int Masses = 8;

    [Fact]
    public void SpringChainRatesAreTheHandDerivedChainForces()
    {
        // H = p·p/(2m) + k/2 Σ_i (q_{i+1} − q_i)² + k/2 (q_0² + q_7²) ⇒ q_i' = p_i/m, p_i' = −k (2 q_i − q_{i−1} − q_{i+1})
        // with q_{−1} = q_8 = 0 (both walls). m = 1, k = 4 (the model's initial values).
        using var model = new SpringChain(ModelOptions.Float64());
        const double m = 1.0, k = 4.0;
        var rng = new Random(3);
        const int batch = 5;
        var y = Enumerable.Range(0, batch * 2 * Masses).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        using var scope = NewDisposeScope();
        using var _ = torch.no_grad();
        var rates = model.Rates(torch.tensor(0.0, ScalarType.Float64), torch.tensor(y, new long[] { batch, 2 * Masses }, ScalarType.Float64))
            .contiguous().data<double>().ToArray();
        for (int b = 0; b < batch; b++)
        {
            double Q(int i) => i < 0 || i >= Masses ? 0.0 : y[b * 2 * Masses + i];
            for (int i = 0; i < Masses; i++)
            {
                double p = y[b * 2 * Masses + Masses + i];
                double dq = p / m, dp = -k * (2 * Q(i) - Q(i - 1) - Q(i + 1));
                // Both are a few float64 operations on values of order one: agreement to 1e-13 is rounding only.
                Assert.Equal(dq, rates[b * 2 * Masses + i], 1e-13);
                Assert.Equal(dp, rates[b * 2 * Masses + Masses + i], 1e-13);
            }
        }
    }

    public static TheoryData<string> SymplecticSolvers => new() { "leapfrog", "yoshida4" };

    [Theory]
    [MemberData(nameof(SymplecticSolvers))]
    public void SymplecticSolversFollowANormalModeOfTheVecChain(string solver)
    {
        // Mode j of the fixed-end chain: q_i(0) = sin((i+1) j π / 9), p = 0, q(t) = q(0) cos(ω_j t),
        // ω_j = 2 √(k/m) sin(j π / 18). j = 3 gives ω = 2.
        using var model = new SpringChain(ModelOptions.Float64());
        const int j = 3;
        double omega = 2 * System.Math.Sqrt(4.0) * System.Math.Sin(j * System.Math.PI / 18);
        var q0 = Enumerable.Range(0, Masses).Select(i => System.Math.Sin((i + 1) * j * System.Math.PI / (Masses + 1))).ToArray();
        using var scope = NewDisposeScope();
        using var _ = torch.no_grad();
        var y0 = torch.tensor(q0.Concat(new double[Masses]).ToArray(), new long[] { 1, 2 * Masses }, ScalarType.Float64);
        var ts = torch.linspace(0, 3, 7, ScalarType.Float64);
        var solution = Ode.Solve(model, y0, ts, Solvers.ByName(solver), new SolverOptions { StepSize = 0.01 });
        var e0 = model.Energies(ts[0], y0).item<double>();
        for (int s = 1; s < ts.shape[0]; s++)
        {
            double t = ts[s].item<double>();
            var q = solution.Ys[s].narrow(1, 0, Masses).contiguous().data<double>().ToArray();
            double worst = q.Select((v, i) => System.Math.Abs(v - q0[i] * System.Math.Cos(omega * t))).Max();
            // Leapfrog's phase error is ω³h²t/24 ≈ 1e-4 at t = 3, h = 0.01, ω = 2 (Yoshida's is far smaller): 1e-3 bounds
            // it, while a wrong force, a wrong split of y or a swapped q/p moves the chain by O(1).
            Assert.True(worst < 1e-3, $"{solver}: |q − q_exact| = {worst:E2} at t = {t}");
            // A symplectic method keeps the energy within O((hω)²) of its start, without drift (E = ω²/2·Σq0² = 9 here).
            var drift = System.Math.Abs(model.Energies(ts[s], solution.Ys[s]).item<double>() - e0);
            Assert.True(drift < 1e-3 * e0, $"{solver}: energy drift {drift:E2} of {e0} at t = {t}");
        }
    }

    [Theory]
    [MemberData(nameof(SymplecticSolvers))]
    public void SymplecticSolversSplitAnInterleavedVecLayout(string solver)
    {
        // MixedChain's columns are q(0..3), p(3..6), x(6), px(7): the coordinates are not the first half of y, so the
        // solver must take them from the layout. q(t) = q0 cos t + p0 sin t; x(t) = x0 cos 2t + (px0/2) sin 2t.
        using var model = new MixedChain(ModelOptions.Float64());
        double[] y0 = [0.5, -0.2, 0.9, 0.1, 0.4, -0.3, 0.7, -0.6];
        using var scope = NewDisposeScope();
        using var _ = torch.no_grad();
        var ts = torch.linspace(0, 2, 5, ScalarType.Float64);
        var solution = Ode.Solve(model, torch.tensor(y0, new long[] { 1, 8 }, ScalarType.Float64), ts, Solvers.ByName(solver),
            new SolverOptions { StepSize = 0.01 });
        for (int s = 1; s < ts.shape[0]; s++)
        {
            double t = ts[s].item<double>();
            var y = solution.Ys[s].contiguous().data<double>().ToArray();
            var expected = new double[8];
            for (int i = 0; i < 3; i++)
            {
                expected[i] = y0[i] * System.Math.Cos(t) + y0[3 + i] * System.Math.Sin(t);
                expected[3 + i] = -y0[i] * System.Math.Sin(t) + y0[3 + i] * System.Math.Cos(t);
            }
            expected[6] = y0[6] * System.Math.Cos(2 * t) + y0[7] / 2 * System.Math.Sin(2 * t);
            expected[7] = -2 * y0[6] * System.Math.Sin(2 * t) + y0[7] * System.Math.Cos(2 * t);
            double worst = y.Select((v, i) => System.Math.Abs(v - expected[i])).Max();
            // Phase error ω³h²t/24 ≤ 8·1e-4·2/24 ≈ 7e-4 times amplitudes below 1 for leapfrog; 2e-3 bounds it, and a
            // mixed-up column (q read as p) is off by O(1).
            Assert.True(worst < 2e-3, $"{solver}: worst error {worst:E2} at t = {t}");
        }
    }
}
