using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>The step-size controller owns tolerances, first and max step, safety and factors; the options' shorthand builds it.</summary>
public class StepControlOwnershipTests
{
    static OdeSolution Solve(SolverOptions options, IOdeSolver? solver = null)
    {
        // y' = −y + sin(t): smooth, a few dozen adaptive steps on [0, 2].
        var y0 = tensor(new[,] { { 1.0 }, { -0.5 } }, float64);
        var ts = linspace(0, 2, 5, dtype: float64);
        return Ode.Solve((t, y) => y.neg().add(t.sin()), y0, ts, solver ?? Runtime.Solvers.Dopri5, options);
    }

    [Fact]
    public void ShorthandBuildsTheDefaultController()
    {
        using var scope = NewDisposeScope();
        var shorthand = Solve(new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10, Safety = 0.8, MaxStep = 0.3 });
        var explicitController = Solve(new SolverOptions
        {
            // The shorthand's controller of an explicit method has the I-controller start-up (PIController.DefaultStartupErrorNorm).
            StepSizeController = new PIController
            {
                Tolerance = new ErrorTolerance(1e-8, 1e-10), Safety = 0.8, MaxStep = 0.3, StartupErrorNorm = PIController.DefaultStartupErrorNorm,
            },
        });
        // The same controller either way: the same steps and the same numbers, exactly.
        Assert.Equal(shorthand.Stats, explicitController.Stats);
        Assert.Equal(0.0, shorthand.Ys.sub(explicitController.Ys).abs().max().item<double>());
    }

    [Fact]
    public void ControllersMaxStepCapsEveryStepIncludingTheFirst()
    {
        using var scope = NewDisposeScope();
        var solution = Solve(new SolverOptions { StepSizeController = new PIController { MaxStep = 0.01, FirstStep = 1.0 } });
        // Span 2 in steps of at most 0.01: at least 200 accepted steps, although the first step asked for is 1.
        Assert.True(solution.Stats.AcceptedSteps >= 200, $"{solution.Stats.AcceptedSteps} steps");
    }

    [Theory]
    [InlineData("MaxStep")]
    [InlineData("Safety")]
    [InlineData("RelativeTolerance")]
    [InlineData("FirstStep")]
    public void ShorthandNextToAControllerIsAnError(string setting)
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { StepSizeController = new PIController() };
        options = setting switch
        {
            "MaxStep" => options with { MaxStep = 0.5 },
            "Safety" => options with { Safety = 0.8 },
            "RelativeTolerance" => options with { RelativeTolerance = 1e-4 },
            _ => options with { FirstStep = 0.1 },
        };
        var error = Assert.Throws<OdeArgumentException>(() => Solve(options));
        Assert.Contains($"SolverOptions.{setting} is set, but so is SolverOptions.StepSizeController", error.Message);
    }

    [Fact]
    public void AControllerForAFixedStepSolverIsAnError()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<OdeArgumentException>(() =>
            Solve(new SolverOptions { StepSize = 0.1, StepSizeController = new PIController() }, Runtime.Solvers.Rk4));
        Assert.Contains("fixed-step solver", error.Message);
    }
}
