using NodeDsl.Numerics;

namespace NodeDsl.Runtime.Tests.Native;

/// <summary>
/// The native discrete adjoint (<see cref="DiscreteAdjoint{T}"/>) is the exact gradient of the discrete solution: against
/// central finite differences of <c>L = Σ W∘y(t_i)</c> in float64 for fixed-step methods with each kind of dense output
/// (Hermite, the tableau's own continuous extension, output times on step ends), with stored and with recomputed stages,
/// and with the evaluations' records kept on the tape (each VJP then starts from its point's record; the end rates of a
/// step with Hermite or first-same-as-last outputs share the next step's stage-0 VJP).
/// </summary>
public class DiscreteAdjointTests
{
    static readonly double[] Times = [0, 0.13, 0.4, 0.41, 0.9, 1.0];

    public static TheoryData<string, bool, bool> Cases => new()
    {
        { "rk4", true, false }, { "midpoint", true, false }, { "dopri5 as fixed step", true, false }, { "rk4", false, false },
        { "dopri5 as fixed step", false, false },
        // Records: Hermite output (rk4), first same as last with its continuous extension (dopri5) and with Hermite (bosh3).
        { "rk4", true, true }, { "dopri5 as fixed step", true, true }, { "bosh3 as fixed step", true, true },
    };

    static RungeKuttaTableau Tableau(string name)
    {
        if (name.EndsWith(" as fixed step", StringComparison.Ordinal))
        {
            // The method's stages and dense output without its error estimate: a fixed-step method.
            var t = NativeMethods.TableauOf(NodeDsl.Runtime.Solvers.ByName(name[..name.IndexOf(' ')]), out _)!;
            return t with { ErrorWeights = null, ErrorOrder = null };
        }
        return NativeMethods.TableauOf(NodeDsl.Runtime.Solvers.ByName(name), out _)!;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsEqualCentralFiniteDifferences(string method, bool storeStages, bool records)
    {
        var tableau = Tableau(method);
        double[] theta = [0.9, 0.3, 0.5];
        double[] y0 = [0.7, -0.2, 0.1, 0.5];
        var weights = Enumerable.Range(0, Times.Length * y0.Length).Select(i => Math.Sin(1.7 * i + 0.3)).ToArray();
        var settings = new IntegrationSettings { StepSize = 0.07 };

        var recording = new RecordingTestField(2, theta);
        IVectorFieldVjp<double> field = records ? recording : new TestField(2, theta);
        var integrator = new RungeKuttaIntegrator<double>(tableau, y0.Length);
        var outputs = new double[Times.Length * y0.Length];
        var tape = new StepTape<double>(y0.Length, tableau.Stages, storeStages, records ? recording.RecordLength : 0);
        integrator.Solve(field, y0, Times, settings, new KeepStep(), outputs, tape);
        var dy0 = new double[y0.Length];
        var sweep = new DiscreteAdjoint<double>(tableau, y0.Length);
        sweep.Backpropagate(field, tape, weights, dy0, storeStages ? null : integrator);
        var gradTheta = records ? recording.GradTheta : ((TestField)field).GradTheta;
        if (records) Assert.Equal(sweep.VjpEvaluations, recording.VjpsFromRecords);   // every VJP started from a record

        double Loss(double[] start, double[] parameters)
        {
            var outs = new double[outputs.Length];
            new RungeKuttaIntegrator<double>(tableau, start.Length).Solve(new TestField(2, parameters), start, Times, settings, new KeepStep(), outs);
            return outs.Select((v, i) => v * weights[i]).Sum();
        }

        // Central differences with ε = 1e-6 on a smooth loss of O(1): truncation ~ε²·L''' ≈ 1e-12 and rounding ~1e-16/ε ≈ 1e-10,
        // so 1e-8 (absolute, gradients are O(1)) separates them from any wrong term (≥ 1e-3 when a stage or weight is missed).
        const double eps = 1e-6, tolerance = 1e-8;
        for (int i = 0; i < y0.Length; i++)
        {
            var plus = (double[])y0.Clone(); plus[i] += eps;
            var minus = (double[])y0.Clone(); minus[i] -= eps;
            double fd = (Loss(plus, theta) - Loss(minus, theta)) / (2 * eps);
            Assert.True(Math.Abs(fd - dy0[i]) <= tolerance, $"∂L/∂y0[{i}]: adjoint {dy0[i]:R}, finite differences {fd:R}");
        }
        for (int p = 0; p < theta.Length; p++)
        {
            var plus = (double[])theta.Clone(); plus[p] += eps;
            var minus = (double[])theta.Clone(); minus[p] -= eps;
            double fd = (Loss(y0, plus) - Loss(y0, minus)) / (2 * eps);
            Assert.True(Math.Abs(fd - gradTheta[p]) <= tolerance, $"∂L/∂θ[{p}]: adjoint {gradTheta[p]:R}, finite differences {fd:R}");
        }
    }

    [Fact]
    public void Rk4ConvergesAtFourthOrderOnALinearOscillator()
    {
        // y' = (y1, y0) (θ = [1, 0, 0]) from (1, 0): y(1) = (cosh 1, sinh 1). Halving h divides the error by ~2⁴ = 16.
        var tableau = NativeMethods.TableauOf(NodeDsl.Runtime.Solvers.Rk4, out _)!;
        double Error(double h)
        {
            var outs = new double[4];
            new RungeKuttaIntegrator<double>(tableau, 2).Solve(new TestField(1, [1, 0, 0]), [1.0, 0.0], [0.0, 1.0],
                new IntegrationSettings { StepSize = h }, new KeepStep(), outs);
            return Math.Max(Math.Abs(outs[2] - Math.Cosh(1)), Math.Abs(outs[3] - Math.Sinh(1)));
        }
        double ratio = Error(0.1) / Error(0.05);
        // The asymptotic ratio is 16; at these step sizes higher-order terms move it by a few percent.
        Assert.InRange(ratio, 14, 18);
    }
}
