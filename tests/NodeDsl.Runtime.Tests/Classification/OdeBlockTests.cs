using NodeDsl.Runtime.Classification;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Classification;

/// <summary>
/// A small time-dependent field f(t, y) = tanh(W y + b) + c·t, as a TorchSharp module that is an <see cref="IOdeSystem"/>
/// (the shape a generated model has), float64.
/// </summary>
internal sealed class TanhField : nn.Module<Tensor, Tensor>, IOdeSystem
{
    readonly TorchSharp.Modules.Linear linear;
    readonly TorchSharp.Modules.Parameter c;

    public TanhField(int n, long seed) : base(nameof(TanhField))
    {
        linear = SeededConstruction.Create(seed, 0, () => nn.Linear(n, n, dtype: ScalarType.Float64));
        c = new TorchSharp.Modules.Parameter(full(n, 0.3, ScalarType.Float64));
        RegisterComponents();
    }

    public TorchSharp.Modules.Linear Linear => linear;

    public override Tensor forward(Tensor y) => linear.forward(y).tanh();

    public Tensor Rates(Tensor t, Tensor y) => forward(y) + c * t;
}

/// <summary>The ODE block as a layer: its output is the solve's final state, its gradients match finite differences, its counts the solves'.</summary>
public sealed class OdeBlockTests
{
    static OdeBlockOptions Tight(GradientMethod gradient) => new()
    {
        // Tolerances far below the finite-difference error so the comparison measures the gradient, not the solve.
        SolverOptions = new SolverOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-12 },
        Gradient = gradient,
    };

    [Fact]
    public void OutputIsTheFinalStateOfTheSolveInTheInputsShape()
    {
        using var scope = NewDisposeScope();
        var field = new TanhField(6, seed: 3);
        using var block = new OdeBlock("ode", field, Tight(GradientMethod.Direct));
        var x = rand(new long[] { 2, 2, 3 }, ScalarType.Float64, generator: new Generator(4));
        using var noGrad = no_grad();
        var output = block.forward(x);
        Assert.Equal(x.shape, output.shape);
        var expected = Ode.Solve(field, x.reshape(2, 6), tensor(new[] { 0.0, 1.0 }, ScalarType.Float64), NodeDsl.Runtime.Solvers.Dopri5,
            Tight(GradientMethod.Direct).SolverOptions).Ys[-1];
        // The same solve, same operations: equal to the last bit.
        Assert.Equal(0.0, (output.reshape(2, 6) - expected).abs().max().item<double>());
        Assert.True((output - x).abs().max().item<double>() > 0.1, "the flow should move the state");
        Assert.Contains("field.linear.weight", block.named_parameters().Select(p => p.name));
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("backsolve")]
    [InlineData("checkpointed")]
    public void GradientsMatchCentralFiniteDifferences(string method)
    {
        var gradient = method switch
        {
            "direct" => GradientMethod.Direct,
            "backsolve" => GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-12 }),
            _ => GradientMethod.Checkpointed(),
        };
        using var scope = NewDisposeScope();
        var field = new TanhField(3, seed: 5);
        using var block = new OdeBlock("ode", field, Tight(gradient));
        var x = (rand(new long[] { 2, 3 }, ScalarType.Float64, generator: new Generator(6)) - 0.5).requires_grad_();
        var weights = tensor(new[] { 0.7, -1.1, 0.4, 1.3, 0.2, -0.6 }, [2, 3], ScalarType.Float64);
        Tensor Loss() => (block.forward(x) * weights).sum();
        Loss().backward();
        var dx = x.grad!.clone();
        var dw = field.Linear.weight!.grad!.clone();

        // Central differences, h = 1e-4: truncation h²/6·|L'''| ≈ 1e-9; a perturbation may change the adaptive step
        // sequence, which moves L by up to ~tolerance = 1e-12, i.e. ~1e-8 after dividing by 2h. Bound 1e-6 absolute
        // (gradients are O(1)) leaves a factor of 100.
        const double h = 1e-4;
        double Central(Tensor p, int i)
        {
            using var noGrad = no_grad();
            var flat = p.view(-1);
            double v = flat[i].item<double>();
            flat[i] = v + h;
            double plus = Loss().item<double>();
            flat[i] = v - h;
            double minus = Loss().item<double>();
            flat[i] = v;
            return (plus - minus) / (2 * h);
        }
        for (int i = 0; i < 6; i++)
            Assert.True(Math.Abs(dx.view(-1)[i].item<double>() - Central(x, i)) < 1e-6, $"{method}: dL/dx[{i}]");
        foreach (int i in new[] { 0, 5, 7 })   // W[0,0], W[1,2], W[2,1]: one weight of every row, diagonal and off-diagonal
            Assert.True(Math.Abs(dw.view(-1)[i].item<double>() - Central(field.Linear.weight!, i)) < 1e-6, $"{method}: dL/dW[{i}]");
    }

    [Fact]
    public void CountsReportForwardAndAdjointEvaluationsOnce()
    {
        using var scope = NewDisposeScope();
        var field = new TanhField(3, seed: 7);
        using var adjoint = new OdeBlock("ode", field, new OdeBlockOptions());
        var x = rand(new long[] { 4, 3 }, ScalarType.Float64, generator: new Generator(8)).requires_grad_();
        adjoint.forward(x).sum().backward();
        var counts = adjoint.TakeCounts();
        var reference = Ode.Solve(field, x.detach(), tensor(new[] { 0.0, 1.0 }, ScalarType.Float64), NodeDsl.Runtime.Solvers.Dopri5, new OdeBlockOptions().SolverOptions);
        Assert.Equal(1, counts.Solves);
        Assert.Equal(reference.Stats.FunctionEvaluations, counts.ForwardEvaluations);
        Assert.True(counts.BackwardEvaluations > 0, "the backsolve adjoint integrates backwards");
        Assert.Equal(default, adjoint.TakeCounts());   // taken: counting starts afresh

        using var direct = new OdeBlock("ode", field, new OdeBlockOptions { Gradient = GradientMethod.Direct });
        direct.forward(x).sum().backward();
        var directCounts = direct.TakeCounts();
        Assert.Equal(reference.Stats.FunctionEvaluations, directCounts.ForwardEvaluations);
        Assert.Equal(0, directCounts.BackwardEvaluations);
    }

    [Fact]
    public void MisuseIsRefusedWithARemedy()
    {
        var field = new TanhField(3, seed: 1);
        using var block = new OdeBlock("ode", field);
        var e = Assert.Throws<ArgumentException>(() => block.forward(zeros(3, ScalarType.Float64)));
        Assert.Contains("unsqueeze(0)", e.Message);
        var notSystem = Assert.Throws<ArgumentException>(() => new OdeBlock("ode", nn.Linear(2, 2)));
        Assert.Contains("IOdeSystem", notSystem.Message);
        var interval = Assert.Throws<ArgumentException>(() => new OdeBlock("ode", field, new OdeBlockOptions { EndTime = 0 }));
        Assert.Contains("two different finite times", interval.Message);
    }
}

/// <summary>The group-norm factory: PyTorch's initialisation, so a fresh layer only normalises.</summary>
public sealed class NormalizationTests
{
    [Fact]
    public void AFreshGroupNormStandardisesEachGroupOfEachExample()
    {
        using var scope = NewDisposeScope();
        var norm = Normalization.GroupNorm(2, 4, ScalarType.Float64);
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 1.0 }, norm.weight.data<double>().ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, norm.bias!.data<double>().ToArray());
        var x = rand(new long[] { 3, 4, 5 }, ScalarType.Float64, generator: new Generator(1)) * 7 + 2;
        var y = norm.forward(x).reshape(3, 2, 10);
        // Each (example, group) has mean 0 and biased variance v/(v + ε) with ε = 1e-5: within 1e-4 of 1 for these spreads.
        Assert.True(y.mean([2]).abs().max().item<double>() < 1e-12);
        Assert.True((y.var(2, unbiased: false) - 1).abs().max().item<double>() < 1e-4);
        Assert.Throws<ArgumentException>(() => Normalization.GroupNorm(3, 4));
    }
}
