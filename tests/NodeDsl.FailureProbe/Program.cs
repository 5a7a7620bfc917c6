using System.Runtime.InteropServices;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

// Runs one scenario and prints what reached the caller: "CAUGHT <type>: <message>" (and "INNER …" for a wrapped
// exception). The exit code is 0 whenever the process survived; a failure that crossed libtorch's native frames
// would end it with SIGABRT (exit code 134).
//   NodeDsl.FailureProbe <scenario> [run|backward|next-solve|grad|pass-grad]
//   run:        BackwardPass.Run(loss), which rethrows the original exception (default)
//   backward:   loss.backward() (TorchSharp's), then BackwardPass.ThrowIfFailed()
//   next-solve: loss.backward(), its exception ignored, then another Ode.Solve
//   grad:       torch.autograd.grad(loss, parameter) (TorchSharp's), then BackwardPass.ThrowIfFailed()
//   pass-grad:  BackwardPass.Grad(loss, parameter), which rethrows the original exception
if (args.Length is < 1 or > 2 || !Scenarios.All.TryGetValue(args[0], out var scenario)
    || !Enum.TryParse<Surfacing>((args.Length == 2 ? args[1] : "run").Replace("-", ""), ignoreCase: true, out var surfacing))
{
    Console.Error.WriteLine($"usage: NodeDsl.FailureProbe <{string.Join("|", Scenarios.All.Keys)}> [run|backward|next-solve|grad|pass-grad]");
    return 2;
}
set_num_threads(1);
try
{
    scenario(surfacing);
    Console.WriteLine("NO EXCEPTION");
}
catch (Exception e)
{
    Console.WriteLine($"CAUGHT {e.GetType().Name}: {e.Message}");
    if (e.InnerException is { } inner) Console.WriteLine($"INNER {inner.GetType().Name}: {inner.Message}");
}
return 0;

enum Surfacing { Run, Backward, NextSolve, Grad, PassGrad }

static class Scenarios
{
    // Looser than the default tolerances only to take fewer steps before the failure (see StiffBacksolve).
    static readonly SolverOptions Loose = new() { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-6 };

    public static readonly Dictionary<string, Action<Surfacing>> All = new()
    {
        ["stiff-kvaerno5"] = s => StiffBacksolve(Solvers.Kvaerno5, new SolverOptions(), s),
        ["stiff-dopri5"] = s => StiffBacksolve(Solvers.Dopri5, Loose, s),
        ["lambda100"] = Lambda100,
        ["maxsteps3"] = MaxSteps3,
        ["replay-mismatch"] = ReplayMismatch,
        ["rates-throw"] = RatesThrow,
        ["trainer-backsolve"] = _ => TrainerBacksolve(),
        ["chained-throw"] = ChainedThrow,
        ["graph-freed"] = GraphFreed,
        ["regularizer-constant-rates"] = _ => RegularizerConstantRates(),
        ["module-ignores-input"] = _ => ModuleIgnoresInput(),
    };

    // dy/dt = A y with eigenvalues −1 and −1000: integrating y backwards over [0, 1] amplifies by e^1000. Kvaerno5 at the
    // default tolerances: the backward solve's step size underflows. Dopri5 at rtol 1e-3 (looser than the default only to
    // take fewer steps, ~3000, before y overflows; it fails the same way at any tolerance): non-finite state.
    static Tensor StiffMatrix() => tensor(new double[,] { { -1, 1 }, { 0, -1000 } }, float64).requires_grad_(true);

    static void StiffBacksolve(IOdeSolver solver, SolverOptions options, Surfacing surfacing)
    {
        var a = StiffMatrix();
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.matmul(a.t())), a);
        var y0 = tensor(new double[,] { { 1, 1 } }, float64);
        var solution = Ode.Solve(system, y0, linspace(0, 1, 2, dtype: float64), solver, options, GradientMethod.Backsolve());
        Backward(solution.Ys.square().sum(), a, surfacing);
    }

    // dy/dt = −100 y over [0, 10]: backwards, y grows like e^{100 t} and overflows (rtol 1e-3 as above).
    static void Lambda100(Surfacing surfacing)
    {
        var lambda = tensor(-100.0, float64).requires_grad_(true);
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.mul(lambda)), lambda);
        var y0 = tensor(new double[,] { { 1 } }, float64);
        var solution = Ode.Solve(system, y0, linspace(0, 10, 2, dtype: float64), Solvers.Dopri5, Loose, GradientMethod.Backsolve());
        Backward(solution.Ys.square().sum(), lambda, surfacing);
    }

    static void MaxSteps3(Surfacing surfacing)
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.mul(lambda)), lambda);
        var y0 = tensor(new double[,] { { 1 } }, float64);
        var solution = Ode.Solve(system, y0, linspace(0, 10, 2, dtype: float64), Solvers.Dopri5, new SolverOptions(),
            GradientMethod.Backsolve(new AdjointOptions { MaxSteps = 3 }));
        Backward(solution.Ys.square().sum(), lambda, surfacing);
    }

    // Rates that change between the forward solve and the backward replay (a non-deterministic system).
    static void ReplayMismatch(Surfacing surfacing)
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        int calls = 0;
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.mul(lambda).mul(1 + 1e-3 * calls++)), lambda);
        var y0 = tensor(new double[,] { { 1 } }, float64);
        var solution = Ode.Solve(system, y0, linspace(0, 2, 5, dtype: float64), Solvers.Rk4, new SolverOptions { StepSize = 0.1 },
            GradientMethod.Checkpointed(new CheckpointOptions { StepsPerSegment = 5 }));
        Backward(solution.Ys.square().sum(), lambda, surfacing);
    }

    // The user's rates throw, but only once the backward pass runs.
    static void RatesThrow(Surfacing surfacing)
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        bool backward = false;
        var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) =>
            backward ? throw new InvalidOperationException("user rates failed during backward") : y.mul(lambda)), lambda);
        var y0 = tensor(new double[,] { { 1 } }, float64);
        var solution = Ode.Solve(system, y0, linspace(0, 1, 3, dtype: float64), Solvers.Dopri5, new SolverOptions(), GradientMethod.Backsolve());
        backward = true;
        Backward(solution.Ys.square().sum(), lambda, surfacing);
    }

    // Two solves in a row, the second one's rates throwing in the backward pass: its node fails first, then the first
    // solve's node runs in the same backward pass (inside autograd.grad it must leave the error in place, not clear it).
    static void ChainedThrow(Surfacing surfacing)
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        bool backward = false;
        var healthy = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y.mul(lambda)), lambda);
        var failing = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) =>
            backward ? throw new InvalidOperationException("second solve's rates failed during backward") : y.mul(lambda)), lambda);
        var times = linspace(0, 1, 3, dtype: float64);
        var first = Ode.Solve(healthy, tensor(new double[,] { { 1 } }, float64), times, Solvers.Dopri5, new SolverOptions(), GradientMethod.Backsolve());
        var second = Ode.Solve(failing, first.Ys[-1], times, Solvers.Dopri5, new SolverOptions(), GradientMethod.Checkpointed());
        backward = true;
        Backward(second.Ys.square().sum(), lambda, surfacing);
    }

    // Not a NodeDsl failure: differentiating a freed graph a second time. libtorch's error arrives as an exception.
    static void GraphFreed(Surfacing surfacing)
    {
        var lambda = tensor(-0.5, float64).requires_grad_(true);
        var loss = lambda.exp().mul(lambda).sum();
        Backward(loss, lambda, surfacing);
        Console.WriteLine("first pass done");
        Backward(loss, lambda, surfacing);
    }

    // Rates that depend on neither the state nor any parameter (f does not require grad), with the Jacobian regulariser.
    static void RegularizerConstantRates()
    {
        var system = new RegularizedSystem(new DelegateOdeSystem((t, y) => ones_like(y)), 2, ones(1, 2, float64));
        var rates = system.Rates(tensor(0.0, float64), system.Augment(tensor(new double[,] { { 1, 2 } }, float64)));
        Console.WriteLine($"jacobian term {rates[0, system.JacobianColumn].item<double>():R}");
    }

    // A custom network module whose output does not depend on its input (a learned constant): its input VJP is zero.
    static void ModuleIgnoresInput()
    {
        var vjp = ModuleOps.InputVjp(new ConstantModule(), ones(3, 2, float64), ones(1, 2, float64));
        Console.WriteLine($"input vjp sum {vjp.sum().item<double>():R} shape [{string.Join(", ", vjp.shape)}]");
    }

    static void TrainerBacksolve()
    {
        var model = new StiffLinear();
        var times = Enumerable.Range(0, 11).Select(i => i * 0.1).ToArray();
        var values = new double[times.Length, 2];
        for (int i = 0; i < times.Length; i++) (values[i, 0], values[i, 1]) = (Math.Exp(-times[i]), Math.Exp(-1000 * times[i]));
        var checkpoint = Path.Combine(Path.GetTempPath(), $"nodedsl-probe-{Guid.NewGuid():N}.ckpt");
        var trainer = new Trainer(model, new TrainerOptions
        {
            Epochs = 3,
            Solver = Solvers.Dopri5,
            Gradient = GradientMethod.Backsolve(),
            CheckpointPath = checkpoint,
        });
        try
        {
            trainer.Fit(TrajectoryDataset.Single(times, values));
        }
        finally
        {
            // The failure must stop training before any checkpoint is written.
            Console.WriteLine($"checkpoint written: {File.Exists(checkpoint)}");
            File.Delete(checkpoint);
        }
    }

    static void Backward(Tensor loss, Tensor parameter, Surfacing surfacing)
    {
        switch (surfacing)
        {
            case Surfacing.Run:
                BackwardPass.Run(loss);
                return;
            case Surfacing.PassGrad:
                var gradient = BackwardPass.Grad([loss], [parameter])[0];
                Console.WriteLine($"BackwardPass.Grad returned {gradient!.sum().item<double>():R}");
                return;
            case Surfacing.Grad:
                try
                {
                    var plain = autograd.grad([loss], [parameter])[0];
                    Console.WriteLine($"autograd.grad returned {plain.sum().item<double>():R}");
                }
                catch (ExternalException e)
                {
                    Console.WriteLine($"autograd.grad threw ExternalException: {e.Message.Split('\n')[0]}");
                }
                BackwardPass.ThrowIfFailed();
                return;
        }
        try
        {
            loss.backward();
            Console.WriteLine("backward() returned");
        }
        catch (ExternalException)
        {
            Console.WriteLine("backward() threw ExternalException");
        }
        if (surfacing == Surfacing.Backward) BackwardPass.ThrowIfFailed();
        else Ode.Solve((t, y) => y.neg(), tensor(new double[,] { { 1 } }, float64), linspace(0, 1, 2, dtype: float64), Solvers.Rk4,
            new SolverOptions { StepSize = 0.1 });
    }
}

/// <summary>dy/dt = A y with a learnable 2×2 matrix, initialised stiff (eigenvalues −1, −1000).</summary>
sealed class StiffLinear : nn.Module<Tensor, Tensor>, IOdeSystem
{
    readonly TorchSharp.Modules.Parameter a;

    public StiffLinear() : base(nameof(StiffLinear))
    {
        a = new TorchSharp.Modules.Parameter(tensor(new double[,] { { -1, 1 }, { 0, -1000 } }, float64));
        RegisterComponents();
    }

    public override Tensor forward(Tensor y) => y.matmul(a.t());

    public Tensor Rates(Tensor t, Tensor y) => forward(y);
}

/// <summary>A module that returns a learned constant row for every input row.</summary>
sealed class ConstantModule : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter c = new(tensor(new double[,] { { 1, 2 } }, float64));

    public ConstantModule() : base(nameof(ConstantModule)) => RegisterComponents();

    public override Tensor forward(Tensor x) => c.expand(x.shape[0], 2);
}
