using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Gradients;

/// <summary>
/// Gradients through a solve with the generated VJP in use (the adjoint methods pick it up by <c>is IRatesVjp</c>):
/// each gradient method against central finite differences of the loss in float64, for a plain neural ODE, the
/// Lotka–Volterra UDE, a parametrized model (gradients to its per-trajectory inputs too), the Hamiltonian pendulum, a
/// second-order neural ODE and a Lagrangian neural network (whose VJP differentiates through the mass-matrix solve).
/// </summary>
public class GeneratedVjpGradientTests
{
    public static TheoryData<string> Models => new() { "node", "ude", "parametrized", "hamiltonian", "secondorder", "lagrangian", "veclagrangian" };

    // The convergence study runs four tight Dopri5 solves with their backward passes; for the Lagrangian model each
    // evaluation is n + 1 autograd passes, which makes it the slowest test here without checking anything the two
    // finite-difference tests do not (its VJP is autograd's, so backsolve differs from direct only by the solver).
    public static TheoryData<string> ConvergenceModels => new() { "node", "ude", "parametrized", "hamiltonian", "secondorder" };

    sealed record Case(OdeModel Model, Tensor Y0, Tensor Ts, Tensor Weights, (string Name, Tensor Value)[] Checked)
    {
        // L = Σ W∘ys + 0.05 Σ ys²: linear and quadratic, so the cotangents depend on the trajectory.
        public Tensor Loss(Tensor ys) => ys.mul(Weights).sum().add(ScalarOps.Mul(ys.square().sum(), 0.05));
    }

    static Case Create(string name)
    {
        OdeModel model = name switch
        {
            "node" => new Spiral(ModelOptions.Float64(1)),
            "ude" => new LotkaVolterraUde(ModelOptions.Float64(2)),
            "parametrized" => new ParametrizedGrowth(ModelOptions.Float64(3)),
            "secondorder" => new SecondOrderNode(ModelOptions.Float64(5)),
            "lagrangian" => new NeuralLagrangian(ModelOptions.Float64(6)),
            "veclagrangian" => new NeuralVecLagrangian(ModelOptions.Float64(7)),
            _ => new NeuralPendulum(ModelOptions.Float64(4)),
        };
        Assert.IsAssignableFrom<IRatesVjp>(model);
        var y0 = name switch
        {
            "node" => tensor(new double[,] { { 1.2, 0.0 }, { 0.5, 0.8 } }, float64),
            "ude" => tensor(new double[,] { { 1.0, 1.0 }, { 0.5, 1.5 } }, float64),
            "parametrized" => tensor(new double[,] { { 0.3 }, { -0.6 } }, float64),
            "secondorder" => tensor(new double[,] { { 0.5, -0.2, 0.8, 0.1, 0.3, -0.4 }, { -0.6, 0.4, -0.3, 0.5, 0.0, 0.2 } }, float64),
            "lagrangian" => tensor(new double[,] { { 0.5, -0.3, 0.2, 0.4 }, { -0.2, 0.6, -0.5, 0.1 } }, float64),
            "veclagrangian" => tensor(new double[,] { { 0.5, -0.3, 0.2, 0.4, 0.1, -0.2 }, { -0.2, 0.6, -0.5, 0.1, -0.3, 0.2 } }, float64),
            _ => tensor(new double[,] { { 1.0, 0.0 }, { 0.4, 0.6 } }, float64),
        };
        y0.requires_grad_(true);
        var checkedTensors = new List<(string, Tensor)> { ("y0", y0) };
        checkedTensors.AddRange(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        if (name == "parametrized")
        {
            var inputs = tensor(new double[,] { { 0.5, 0.2, -0.3 }, { -0.4, 0.7, 0.1 } }, float64).requires_grad_(true);
            model.Inputs = inputs;
            checkedTensors.Add(("inputs", inputs));
        }
        // Each rates evaluation of the Lagrangian network is three autograd passes and its VJP a double backward, so its
        // solve is kept short (5 RK4 steps) to keep the test fast; the gradient paths are the same at any length.
        var ts = name is "lagrangian" or "veclagrangian" ? linspace(0, 0.1, 3, dtype: float64) : linspace(0, 1, 6, dtype: float64);
        var weights = randn(new long[] { ts.shape[0], y0.shape[0], y0.shape[1] }, dtype: float64, generator: new Generator(11));
        return new Case(model, y0, ts, weights, [.. checkedTensors]);
    }

    // RK4 with a fixed step: a discretisation that does not depend on the parameters, so direct and checkpointed
    // gradients are the exact gradients of the computed loss. Dopri5 at rtol 1e-10 for the backsolve adjoint, whose
    // gradient is only as accurate as its backward solve.
    static readonly (IOdeSolver Solver, SolverOptions Options) Rk4 = (Solvers.Rk4, new SolverOptions { StepSize = 0.02 });
    static readonly (IOdeSolver Solver, SolverOptions Options) Dopri5 = (Solvers.Dopri5, new SolverOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });

    [Theory]
    [MemberData(nameof(Models))]
    public void DirectAndCheckpointedMatchFiniteDifferences(string name)
    {
        // Central differences with ε = 1e-5 are accurate to ~1e-10 relative on these smooth losses; both methods are
        // exact for the RK4 discretisation, so 1e-6 only allows for the finite-difference error with a wide margin.
        var c = Create(name);
        foreach (var method in new[] { GradientMethod.Direct, GradientMethod.Checkpointed() })
        {
            var (error, where) = MaxError(c, method, Rk4);
            Assert.True(error <= 1e-6, $"{name}/{method.Name}: relative error {error:E2} at {where}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void BacksolveMatchesFiniteDifferencesWithinItsTolerance(string name)
    {
        // The backward solve at rtol 1e-10 carries ~1e-9 relative error (docs/gradients.md); 1e-6 leaves a wide margin.
        var c = Create(name);
        var (error, where) = MaxError(c, GradientMethod.Backsolve(), Dopri5);
        Assert.True(error <= 1e-6, $"{name}/backsolve: relative error {error:E2} at {where}");
    }

    [Theory]
    [MemberData(nameof(ConvergenceModels))]
    public void BacksolveConvergesToDirectAsItsToleranceTightens(string name)
    {
        // Same tight forward solve for both; backward at 1e-3, 1e-5, 1e-7: the difference must fall each time until it
        // reaches the floor set by the forward solve itself (direct differentiates the rtol-1e-10 discretisation, the
        // adjoint the exact flow: they differ by ~1e-10), and end below 1e-5 relative.
        var c = Create(name);
        var direct = Gradients(c, GradientMethod.Direct, Dopri5);
        var errors = new List<double>();
        foreach (var tol in new[] { 1e-3, 1e-5, 1e-7 })
        {
            var adjoint = new AdjointOptions { RelativeTolerance = tol, AbsoluteTolerance = tol * 1e-2 };
            var grads = Gradients(c, GradientMethod.Backsolve(adjoint), Dopri5);
            double num = 0, den = 0;
            for (int i = 0; i < grads.Length; i++)
            {
                num += grads[i].sub(direct[i]).square().sum().item<double>();
                den += direct[i].square().sum().item<double>();
            }
            errors.Add(System.Math.Sqrt(num / den));
        }
        const double floor = 1e-9;
        Assert.True((errors[1] < errors[0] || errors[1] < floor) && (errors[2] < errors[1] || errors[2] < floor) && errors[2] < 1e-5,
            $"{name}: errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
    }

    static Tensor[] Gradients(Case c, GradientMethod method, (IOdeSolver Solver, SolverOptions Options) s)
    {
        var wrt = c.Checked.Select(x => x.Value).ToArray();
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(c.Model, c.Y0, c.Ts, s.Solver, s.Options, method);
        var grads = autograd.grad([c.Loss(solution.Ys)], wrt, allow_unused: true);
        return grads.Select((g, i) => (g is null || g.IsInvalid ? zeros_like(wrt[i]) : g.detach()).MoveToOuterDisposeScope()).ToArray();
    }

    static double Loss(Case c, (IOdeSolver Solver, SolverOptions Options) s)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return c.Loss(Ode.Solve(c.Model, c.Y0, c.Ts, s.Solver, s.Options).Ys).item<double>();
    }

    // |gᵀv − fd| / ‖g‖ for one random unit direction v per checked tensor (robust when v is nearly orthogonal to g).
    static (double Error, string Where) MaxError(Case c, GradientMethod method, (IOdeSolver Solver, SolverOptions Options) s)
    {
        var grads = Gradients(c, method, s);
        double worst = 0;
        string where = "";
        for (int i = 0; i < c.Checked.Length; i++)
        {
            var (name, x) = c.Checked[i];
            using var scope = NewDisposeScope();
            var v = randn(x.shape, dtype: float64, generator: new Generator((ulong)(100 + i)));
            v = v.div(v.norm());
            const double eps = 1e-5;
            double plus, minus;
            using (no_grad())
            {
                x.add_(ScalarOps.Mul(v, eps));
                plus = Loss(c, s);
                x.add_(ScalarOps.Mul(v, -2 * eps));
                minus = Loss(c, s);
                x.add_(ScalarOps.Mul(v, eps));
            }
            double fd = (plus - minus) / (2 * eps);
            double projected = grads[i].mul(v).sum().item<double>();
            double error = System.Math.Abs(projected - fd) / System.Math.Max(grads[i].norm().item<double>(), 1e-300);
            if (error > worst) (worst, where) = (error, name);
        }
        return (worst, where);
    }
}
