using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// What a failure inside a backward pass leaves behind: the original exception for the caller, no gradient from the failed
/// pass in any <c>.grad</c>, and nothing pending once it has been thrown. The triggers themselves (stiff systems, step
/// limits, replay mismatches) run in a child process (<see cref="FailureProbeTests"/>); these tests use the cheapest
/// trigger, rates that throw once the backward pass starts.
/// </summary>
[Collection(nameof(GradientCollection))]
public class BackwardFailureTests
{
    /// <summary>dy/dt = λ y whose rates throw while <see cref="Failing"/> is set.</summary>
    sealed class ThrowingDecay(Tensor lambda) : IOdeSystem
    {
        public bool Failing { get; set; }

        public Tensor Rates(Tensor t, Tensor y)
            => Failing ? throw new InvalidOperationException("rates failed on purpose") : y.mul(lambda);
    }

    public static TheoryData<string, bool> Methods() => new()
    {
        { "backsolve", false }, { "checkpointed", false }, { "backsolve", true }, { "checkpointed", true }, { "direct", true },
    };

    static GradientMethod Method(string name) => name switch
    {
        "backsolve" => GradientMethod.Backsolve(),
        "checkpointed" => GradientMethod.Checkpointed(),
        _ => GradientMethod.Direct,
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void FailedBackwardLeavesEveryGradientAsItWas(string methodName, bool timesRequireGrad)
    {
        // λ has a gradient from an earlier step (not zeroed, as when gradients are accumulated over batches) and also feeds
        // a penalty term outside the solve; y0 has none. After the failed backward(), both must hold exactly what they
        // held before: the failed node passes nothing on, and λ's accumulator waits for it (it feeds λ too).
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        var y0 = tensor(new double[,] { { 1.0 }, { 2.0 } }, float64).requires_grad_(true);
        var system = new ThrowingDecay(lambda);
        var wrapped = AutogradRatesVjp.For(system, lambda);
        var ts = linspace(0, 1, 4, dtype: float64).requires_grad_(timesRequireGrad);
        Loss(wrapped, y0, ts, Method(methodName), lambda).backward();
        double before = lambda.grad!.item<double>();
        y0.grad = null;
        if (timesRequireGrad) ts.grad = null;

        var loss = Loss(wrapped, y0, ts, Method(methodName), lambda);
        system.Failing = true;
        // Direct backprop calls no managed code in its backward pass except the output-time nodes, whose rates throw.
        var e = Assert.Throws<InvalidOperationException>(() => BackwardPass.Run(loss));

        Assert.Equal("rates failed on purpose", e.Message);
        // Bit for bit: not even a rounding difference may come from the failed pass.
        Assert.Equal(before, lambda.grad!.item<double>());
        Assert.True(y0.grad is null || y0.grad.IsInvalid, "y0 received a gradient from the failed backward pass");
        if (timesRequireGrad) Assert.True(ts.grad is null || ts.grad.IsInvalid, "ts received a gradient from the failed backward pass");
        Assert.Null(BackwardPass.Failure);
    }

    static Tensor Loss(IOdeSystem system, Tensor y0, Tensor ts, GradientMethod method, Tensor lambda)
    {
        var solution = Ode.Solve(system, y0, ts, Runtime.Solvers.Dopri5, new SolverOptions(), method);
        return solution.Ys.square().sum().add(lambda.square());
    }

    [Fact]
    public void PlainBackwardThrowsAndThrowIfFailedGivesTheOriginalOnce()
    {
        var (system, _, loss) = FailingLoss();
        var external = Assert.Throws<ExternalException>(() => loss.backward());
        Assert.Contains("invalid gradient", external.Message);
        Assert.IsType<InvalidOperationException>(BackwardPass.Failure);

        var original = Assert.Throws<InvalidOperationException>(BackwardPass.ThrowIfFailed);
        Assert.Equal("rates failed on purpose", original.Message);
        // Thrown once: nothing is pending afterwards, and solving works again.
        Assert.Null(BackwardPass.Failure);
        BackwardPass.ThrowIfFailed();
        system.Failing = false;
        Ode.Solve(system, tensor(new double[,] { { 1.0 } }, float64), linspace(0, 1, 2, dtype: float64), Runtime.Solvers.Rk4, new SolverOptions { StepSize = 0.5 });
    }

    [Fact]
    public void AnUnhandledFailureStopsTheNextSolveOnThisThreadOnly()
    {
        var (system, _, loss) = FailingLoss();
        Assert.Throws<ExternalException>(() => loss.backward());
        system.Failing = false;
        var y0 = tensor(new double[,] { { 1.0 } }, float64);
        var ts = linspace(0, 1, 2, dtype: float64);
        var options = new SolverOptions { StepSize = 0.5 };

        // Another thread has no failure of its own.
        Exception? elsewhere = null;
        var thread = new Thread(() =>
        {
            try { Ode.Solve(system, y0, ts, Runtime.Solvers.Rk4, options); }
            catch (Exception e) { elsewhere = e; }
        });
        thread.Start();
        thread.Join();
        Assert.Null(elsewhere);

        var e = Assert.Throws<BackwardFailedException>(() => Ode.Solve(system, y0, ts, Runtime.Solvers.Rk4, options));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal("backsolve adjoint", e.Method);
        Assert.Contains("rates failed on purpose", e.Message);
        Assert.Contains("GradientMethod.Checkpointed()", e.Message);
        // Reported once.
        Ode.Solve(system, y0, ts, Runtime.Solvers.Rk4, options);
    }

    [Fact]
    public void SuccessfulBackwardRecordsNothing()
    {
        var (system, lambda, _) = FailingLoss();
        system.Failing = false;
        var y0 = tensor(new double[,] { { 1.0 } }, float64);
        var solution = Ode.Solve(AutogradRatesVjp.For(system, lambda), y0, linspace(0, 1, 3, dtype: float64), Runtime.Solvers.Dopri5,
            new SolverOptions(), GradientMethod.Backsolve());
        BackwardPass.Run(solution.Ys.sum());
        Assert.Null(BackwardPass.Failure);
        // dL/dλ of Σ_i e^{λ t_i} at λ = −0.5, t = 0, 0.5, 1 is 0.5·e^{−0.25} + e^{−0.5}; backsolve at the default rtol 1e-6
        // is accurate to ~1e-6, so 1e-5.
        Assert.Equal(0.5 * Math.Exp(-0.25) + Math.Exp(-0.5), lambda.grad!.item<double>(), 1e-5);
    }

    /// <summary>A backsolve loss whose backward pass fails (the rates throw after the forward solve).</summary>
    static (ThrowingDecay System, Tensor Lambda, Tensor Loss) FailingLoss()
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        var system = new ThrowingDecay(lambda);
        var solution = Ode.Solve(AutogradRatesVjp.For(system, lambda), tensor(new double[,] { { 1.0 } }, float64),
            linspace(0, 1, 3, dtype: float64), Runtime.Solvers.Dopri5, new SolverOptions(), GradientMethod.Backsolve());
        var loss = solution.Ys.square().sum();
        system.Failing = true;
        return (system, lambda, loss);
    }
}
