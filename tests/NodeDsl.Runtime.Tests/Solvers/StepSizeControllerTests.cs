namespace NodeDsl.Runtime.Tests.Solvers;

/// <summary>The PI controller's decisions on host numbers (no tensors involved).</summary>
public class StepSizeControllerTests
{
    static readonly PIController Controller = new();

    [Fact]
    public void AcceptsWithinToleranceAndRejectsAbove()
    {
        var memory = default(ControllerMemory);
        Assert.True(Controller.Decide(0.1, 0.5, 4, ref memory).Accept);
        Assert.False(Controller.Decide(0.1, 1.5, 4, ref memory).Accept);
        Assert.True(memory.PreviousRejected);
    }

    [Fact]
    public void RejectionShrinksAndNeverGrowsRightAfter()
    {
        var memory = default(ControllerMemory);
        var rejected = Controller.Decide(0.1, 100, 4, ref memory);
        Assert.False(rejected.Accept);
        Assert.Equal(0.1 * 0.9 * Math.Pow(100, -0.2), rejected.NextStepMagnitude, 15); // integral part only: safety·err^(−1/k)
        var afterReject = Controller.Decide(0.02, 1e-6, 4, ref memory);
        Assert.True(afterReject.Accept);
        Assert.True(afterReject.NextStepMagnitude <= 0.02); // Hairer: no growth right after a rejection
    }

    [Fact]
    public void FactorsAreClampedAndMaxStepHolds()
    {
        var memory = default(ControllerMemory);
        var tiny = Controller.Decide(0.1, 0, 4, ref memory);
        Assert.Equal(0.1 * Controller.MaxFactor, tiny.NextStepMagnitude, 12);
        var capped = (Controller with { MaxStep = 0.3 }).Decide(0.1, 1e-8, 4, ref memory);
        Assert.Equal(0.3, capped.NextStepMagnitude);
        var blownUp = Controller.Decide(0.1, double.NaN, 4, ref memory);
        Assert.False(blownUp.Accept);
        Assert.Equal(0.1 * Controller.MinFactor, blownUp.NextStepMagnitude, 15);
    }

    [Fact]
    public void StartupPhaseIsTheElementaryController()
    {
        var controller = Controller with { StartupErrorNorm = 0.1 };
        // While every error is below 0.1: P = 0, I = 1, h · 0.9 · err^(−1/k) whatever the previous error (as scipy, torchdiffeq).
        var falling = new ControllerMemory { PreviousErrorNorm = 0.09 };
        var rising = new ControllerMemory { PreviousErrorNorm = 0.01 };
        double elementary = 0.1 * 0.9 * Math.Pow(0.05, -0.2);
        Assert.Equal(elementary, controller.Decide(0.1, 0.05, 4, ref falling).NextStepMagnitude, 15);
        Assert.Equal(elementary, controller.Decide(0.1, 0.05, 4, ref rising).NextStepMagnitude, 15);
        Assert.False(rising.PastStartup);
        // The first error ≥ 0.1 ends the start-up for good: PI.3.4 from then on.
        var memory = default(ControllerMemory);
        controller.Decide(0.1, 0.9, 4, ref memory);
        Assert.True(memory.PastStartup);
        double pi34 = 0.1 * 0.9 * Math.Pow(0.05, -0.14) * Math.Pow(0.9, 0.08);
        Assert.Equal(pi34, controller.Decide(0.1, 0.05, 4, ref memory).NextStepMagnitude, 15);
        // So does a rejection.
        var rejected = default(ControllerMemory);
        Assert.False(controller.Decide(0.1, double.NaN, 4, ref rejected).Accept);
        Assert.True(rejected.PastStartup);
        // The default (0) is PI.3.4 from the first step.
        var fresh = new ControllerMemory { PreviousErrorNorm = 0.9 };
        Assert.Equal(pi34, Controller.Decide(0.1, 0.05, 4, ref fresh).NextStepMagnitude, 15);
    }

    [Fact]
    public void ProportionalTermRewardsFallingErrors()
    {
        // Same current error; a larger previous error means the error is falling, so the PI controller grows more.
        var pi = Controller;
        var falling = new ControllerMemory { PreviousErrorNorm = 0.9 };
        var rising = new ControllerMemory { PreviousErrorNorm = 0.01 };
        double hFalling = pi.Decide(0.1, 0.1, 4, ref falling).NextStepMagnitude;
        double hRising = pi.Decide(0.1, 0.1, 4, ref rising).NextStepMagnitude;
        Assert.True(hFalling > hRising);
        // Gustafsson PI.3.4 with k = 5: 0.9 · 0.1^(−0.7/5) · 0.9^(0.4/5).
        Assert.Equal(0.1 * 0.9 * Math.Pow(0.1, -0.14) * Math.Pow(0.9, 0.08), hFalling, 12);
    }
}

/// <summary>The fixed-step controller accepts every successful step and rejects a failed one with a typed error.</summary>
public class ConstantStepControllerTests
{
    [Fact]
    public void AcceptsSuccessfulStepsWithTheSameSize()
    {
        var memory = default(ControllerMemory);
        var decision = new ConstantStepController(0.05).Decide(0.05, 0, null, ref memory);
        Assert.True(decision.Accept);
        Assert.Equal(0.05, decision.NextStepMagnitude);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(2.0)]
    public void FailedAttemptIsATypedError(double errorNorm)
    {
        var memory = default(ControllerMemory);
        var error = Assert.Throws<FixedStepFailedException>(() => new ConstantStepController(0.05).Decide(0.05, errorNorm, null, ref memory));
        Assert.Equal(0.05, error.StepSize);
        Assert.Equal(errorNorm, error.ErrorNorm);
    }
}
