using NodeDsl.Runtime.Tests.Training;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// Every option a user can set is checked where it is given, before any work: the solve fails with an
/// <see cref="OdeArgumentException"/> naming the option, and the rates are never evaluated.
/// </summary>
public sealed class OptionValidationTests
{
    /// <summary>dy/dt = −y, counting its evaluations.</summary>
    sealed class CountingDecay : IOdeSystem
    {
        public int Calls;
        public Tensor Rates(Tensor t, Tensor y)
        {
            Calls++;
            return y.neg();
        }
    }

    static Tensor Y0() => torch.ones(1, 2, ScalarType.Float64);
    static Tensor Times() => torch.linspace(0, 2, 5, ScalarType.Float64);

    public static TheoryData<string, string, SolverOptions> BadSolverOptions => new()
    {
        { "dopri5", "SolverOptions.RelativeTolerance is NaN", new() { RelativeTolerance = double.NaN } },
        { "dopri5", "SolverOptions.RelativeTolerance is Infinity", new() { RelativeTolerance = double.PositiveInfinity } },
        { "dopri5", "SolverOptions.RelativeTolerance is -1", new() { RelativeTolerance = -1 } },
        { "dopri5", "SolverOptions.AbsoluteTolerance is NaN", new() { AbsoluteTolerance = double.NaN } },
        { "dopri5", "SolverOptions.AbsoluteTolerance is -Infinity", new() { AbsoluteTolerance = double.NegativeInfinity } },
        { "dopri5", "SolverOptions.RelativeTolerances[1] is NaN", new() { RelativeTolerances = [1e-6, double.NaN] } },
        { "dopri5", "SolverOptions.AbsoluteTolerances[0] is -1", new() { AbsoluteTolerances = [-1, 1e-8] } },
        { "dopri5", "SolverOptions.AbsoluteTolerances has 3 entries but the state has 2", new() { AbsoluteTolerances = [1, 1, 1] } },
        { "dopri5", "RelativeTolerance and AbsoluteTolerance are both 0", new() { RelativeTolerance = 0, AbsoluteTolerance = 0 } },
        { "dopri5", "State component 1 has relative and absolute tolerance 0", new() { RelativeTolerance = 0, AbsoluteTolerances = [1e-8, 0] } },
        { "dopri5", "SolverOptions.FirstStep is NaN", new() { FirstStep = double.NaN } },
        { "dopri5", "SolverOptions.FirstStep is -0.1", new() { FirstStep = -0.1 } },
        { "dopri5", "SolverOptions.FirstStep is 0,", new() { FirstStep = 0 } },
        { "dopri5", "SolverOptions.MaxStep is -1", new() { MaxStep = -1 } },
        { "dopri5", "SolverOptions.MaxStep is NaN", new() { MaxStep = double.NaN } },
        { "dopri5", "SolverOptions.MaxStep is 0,", new() { MaxStep = 0 } },
        { "dopri5", "SolverOptions.MaxStep = 1E-09 needs at least 1.98E+09 steps", new() { MaxStep = 1e-9 } },
        { "dopri5", "SolverOptions.Safety is NaN", new() { Safety = double.NaN } },
        { "dopri5", "SolverOptions.Safety is 0,", new() { Safety = 0 } },
        { "dopri5", "SolverOptions.Safety is 1.5", new() { Safety = 1.5 } },
        { "dopri5", "SolverOptions.MinFactor is 5,", new() { MinFactor = 5, MaxFactor = 0.5 } },
        { "dopri5", "SolverOptions.MinFactor is 1,", new() { MinFactor = 1 } },
        { "dopri5", "SolverOptions.MinFactor is NaN", new() { MinFactor = double.NaN } },
        { "dopri5", "SolverOptions.MaxFactor is 0.5", new() { MaxFactor = 0.5 } },
        { "dopri5", "SolverOptions.MaxFactor is Infinity", new() { MaxFactor = double.PositiveInfinity } },
        { "dopri5", "SolverOptions.MaxSteps is 0,", new() { MaxSteps = 0 } },
        { "dopri5", "SolverOptions.MaxSteps is -5", new() { MaxSteps = -5 } },
        { "dopri5", "SolverOptions.StepSize is NaN", new() { StepSize = double.NaN } },   // given, even if an adaptive solver ignores it
        { "dopri5", "SolverOptions.Norm is 7", new() { Norm = (ErrorNorm)7 } },
        { "rk4", "SolverOptions.StepSize is NaN", new() { StepSize = double.NaN } },
        { "rk4", "SolverOptions.StepSize is -0.1", new() { StepSize = -0.1 } },
        { "rk4", "SolverOptions.StepSize is 0,", new() { StepSize = 0 } },
        { "rk4", "SolverOptions.StepSize is Infinity", new() { StepSize = double.PositiveInfinity } },
        { "rk4", "needs SolverOptions.StepSize > 0", new() },
        { "rk4", "SolverOptions.StepSize = 1E-12 needs at least 2E+12 steps", new() { StepSize = 1e-12 } },
        { "kvaerno5", "SolverOptions.RelativeTolerance is NaN", new() { RelativeTolerance = double.NaN } },
        { "leapfrog", "SolverOptions.StepSize is -0.1", new() { StepSize = -0.1 } },
    };

    [Theory]
    [MemberData(nameof(BadSolverOptions))]
    public void EachInvalidSolverOptionIsRejectedByNameBeforeTheFirstEvaluation(string solver, string expected, SolverOptions options)
    {
        using var scope = NewDisposeScope();
        var system = new CountingDecay();
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve(system, Y0(), Times(), NodeDsl.Runtime.Solvers.ByName(solver), options));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, system.Calls);
    }

    [Theory]
    [InlineData(0, 2, "shape [0, 2]: no trajectories")]
    [InlineData(1, 0, "shape [1, 0]: the state has no components")]
    public void AnEmptyBatchOrStateIsRejected(long batch, long components, string expected)
    {
        using var scope = NewDisposeScope();
        var system = new CountingDecay();
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve(system, torch.ones(batch, components, ScalarType.Float64), Times(), NodeDsl.Runtime.Solvers.Dopri5));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, system.Calls);
    }

    [Fact]
    public void BoundaryValuesThatCanWorkAreAccepted()
    {
        using var scope = NewDisposeScope();
        var allowed = new SolverOptions[]
        {
            new() { RelativeTolerance = 0 },                                              // pure absolute control
            new() { Safety = 1, MaxStep = double.PositiveInfinity },
            new() { MaxFactor = 1, FirstStep = 0.1 },                                     // steps never grow
            new() { RelativeTolerances = [1e-6, 0], AbsoluteTolerances = [0, 1e-8] },     // each component has one positive tolerance
        };
        foreach (var options in allowed)
        {
            var ys = Ode.Solve(new CountingDecay(), Y0(), Times(), NodeDsl.Runtime.Solvers.Dopri5, options).Ys;
            // y = e^{−t}: tolerances of 1e-6 and tighter leave well under 1e-4 of error at t = 2.
            Assert.Equal(Math.Exp(-2), ys[-1, 0, 0].item<double>(), 4);
        }
        // Exactly MaxSteps fixed steps cover the span: allowed.
        var fixedSteps = Ode.Solve(new CountingDecay(), Y0(), Times(), NodeDsl.Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.5, MaxSteps = 4 });
        Assert.Equal(4, fixedSteps.Stats.AcceptedSteps);
    }

    [Fact]
    public void AStepControllerRejectsInvalidValuesAsTheyAreSet()
    {
        Assert.Contains("PIController.Safety is NaN", Assert.Throws<OdeArgumentException>(() => new PIController { Safety = double.NaN }).Message);
        Assert.Contains("PIController.MinFactor is 0,", Assert.Throws<OdeArgumentException>(() => new PIController { MinFactor = 0 }).Message);
        Assert.Contains("PIController.MaxFactor is 0.9", Assert.Throws<OdeArgumentException>(() => new PIController { MaxFactor = 0.9 }).Message);
        Assert.Contains("PIController.MaxStep is -1", Assert.Throws<OdeArgumentException>(() => new PIController { MaxStep = -1 }).Message);
        Assert.Contains("PIController.ProportionalCoefficient is Infinity",
            Assert.Throws<OdeArgumentException>(() => new PIController { ProportionalCoefficient = double.PositiveInfinity }).Message);
        Assert.Equal(0.8, new PIController { Safety = 0.8 }.Safety);
    }

    public static TheoryData<string, Func<GradientMethod>> BadGradientOptions => new()
    {
        { "AdjointOptions.RelativeTolerance is NaN", () => GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = double.NaN }) },
        { "AdjointOptions.AbsoluteTolerance is -1", () => GradientMethod.Backsolve(new AdjointOptions { AbsoluteTolerance = -1 }) },
        { "AdjointOptions.StepSize is 0,", () => GradientMethod.Backsolve(new AdjointOptions { StepSize = 0 }) },
        { "AdjointOptions.MaxSteps is 0,", () => GradientMethod.Backsolve(new AdjointOptions { MaxSteps = 0 }) },
        { "CheckpointOptions.OutputsPerSegment is -1", () => GradientMethod.Checkpointed(new CheckpointOptions { OutputsPerSegment = -1 }) },
        { "CheckpointOptions.StepsPerSegment is 0,", () => GradientMethod.Checkpointed(new CheckpointOptions { StepsPerSegment = 0 }) },
    };

    [Theory]
    [MemberData(nameof(BadGradientOptions))]
    public void InvalidAdjointAndCheckpointOptionsAreRejectedWhereTheyAreGiven(string expected, Func<GradientMethod> create)
        => Assert.Contains(expected, Assert.Throws<OdeArgumentException>(create).Message);

    [Fact]
    public void ABackwardSolveThatCannotRunIsRejectedBeforeTheForwardSolve()
    {
        using var scope = NewDisposeScope();
        var system = new CountingDecay();
        var gradient = GradientMethod.Backsolve(new AdjointOptions { Solver = NodeDsl.Runtime.Solvers.Rk4 });   // fixed step, no step size anywhere
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve(system, Y0().requires_grad_(), Times(), NodeDsl.Runtime.Solvers.Dopri5, null, gradient));
        Assert.Contains("fixed-step solver 'rk4' but has no step size", e.Message);
        Assert.Contains("AdjointOptions.StepSize", e.Message);
        Assert.Equal(0, system.Calls);
    }

    public static TheoryData<string, Func<TrainerOptions, TrainerOptions>> BadTrainerOptions => new()
    {
        { "SolverOptions.Safety is NaN", o => o with { SolverOptions = new SolverOptions { StepSize = 0.25, Safety = double.NaN } } },
        { "fixed-step solver 'rk4' but has no step size", o => o with { Solver = NodeDsl.Runtime.Solvers.Dopri5, SolverOptions = null,
            Gradient = GradientMethod.Backsolve(new AdjointOptions { Solver = NodeDsl.Runtime.Solvers.Rk4 }) } },
        { "OptimizerSettings.LearningRate is Infinity", o => o with { Optimizer = OptimizerSettings.Adam(double.PositiveInfinity) } },
        { "OptimizerSettings.Betas.Beta2 is 1,", o => o with { Optimizer = OptimizerSettings.Adam() with { Betas = (0.9, 1.0) } } },
        { "OptimizerSettings.WeightDecay is NaN", o => o with { Optimizer = OptimizerSettings.AdamW(1e-3, double.NaN) } },
        { "OptimizerSettings.RmsPropAlpha is 1.5,", o => o with { Optimizer = OptimizerSettings.RmsProp(1e-2, alpha: 1.5) } },
        { "OptimizerSettings.LbfgsMaxIterations is 0,", o => o with { Optimizer = OptimizerSettings.Lbfgs(1.0, maxIterations: 0) } },
        { "Regularization.KineticEnergy is -1", o => o with { Regularization = new Regularization { KineticEnergy = -1 } } },
        { "EarlyStopping.MinDelta is NaN", o => o with { EarlyStopping = new EarlyStopping { MinDelta = double.NaN } } },
        { "EarlyStopping.Patience is 0, but must be at least 1", o => o with { EarlyStopping = new EarlyStopping { Patience = 0 } } },
    };

    [Theory]
    [MemberData(nameof(BadTrainerOptions))]
    public void InvalidTrainerOptionsFailWhenTheTrainerIsBuilt(string expected, Func<TrainerOptions, TrainerOptions> change)
    {
        var options = change(LinearTrainingTests.Options(1, 0.25));
        var e = Assert.Throws<OdeArgumentException>(() => new Trainer(new LinearRates(new double[2, 2]), options));
        Assert.Contains(expected, e.Message);
    }
}
