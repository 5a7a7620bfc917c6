using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// The first rates result of a solve is checked against the state (dtype, shape, device) before anything uses it; and
/// what TorchSharp itself does with mixed dtypes, which is why the check and the docs' advice exist.
/// </summary>
public sealed class FirstRatesTests
{
    static Tensor Times() => torch.linspace(0, 1, 3, ScalarType.Float64);

    [Theory]
    [InlineData(ErrorNorm.Batch)]
    [InlineData(ErrorNorm.PerTrajectory)]
    public void RatesOfAnotherShapeAreRejectedInsteadOfBroadcast(ErrorNorm norm)
    {
        using var scope = NewDisposeScope();
        // Summing over the batch gives [2] for a [1, 2] state: broadcasting would silently accept it.
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve((t, y) => y.neg().sum(0L), torch.ones(1, 2, ScalarType.Float64), Times(),
            NodeDsl.Runtime.Solvers.Dopri5, new SolverOptions { Norm = norm }));
        Assert.Contains("returned shape [2] for a state of shape [1, 2]", e.Message);
    }

    [Fact]
    public void NullRatesAndRatesOnAnotherDeviceAreRejected()
    {
        using var scope = NewDisposeScope();
        var y0 = torch.ones(1, 2, ScalarType.Float64);
        Assert.Contains("returned null", Assert.Throws<OdeArgumentException>(() => Ode.Solve((t, y) => null!, y0, Times(), NodeDsl.Runtime.Solvers.Rk4,
            new SolverOptions { StepSize = 0.5 })).Message);
        var e = Assert.Throws<OdeArgumentException>(() => Ode.Solve((t, y) => torch.zeros(1, 2, ScalarType.Float64, device: torch.META), y0, Times(),
            NodeDsl.Runtime.Solvers.Dopri5));
        Assert.Contains("on meta for a state on cpu", e.Message);
    }

    // Child: a float64 state whose rates come back float32 (a float32 constant somewhere in the rates function).
    static void SolveWithFloat32Rates()
    {
        var y0 = tensor(new[] { 2.0, 0.0 }, 1, 2, ScalarType.Float64);
        try
        {
            Ode.Solve((t, y) => y.neg().to(ScalarType.Float32), y0, linspace(0, 1, 3, ScalarType.Float64), NodeDsl.Runtime.Solvers.Dopri5);
            Console.WriteLine("solved without complaint");
        }
        catch (OdeArgumentException e) { Console.WriteLine($"rejected: {e.Message}"); }
    }

    [Fact]
    public void RatesOfAnotherDtypeAreRejectedWithTheRemedy()
    {
        // In a child process: before this check, mixed dtypes reached the solver's own ops.
        var child = ChildProcess.Run(SolveWithFloat32Rates);
        Assert.True(child.ExitCode == 0, $"exit code {child.ExitCode}: {child.Error}");
        Assert.Contains("rejected: The rates function returned a Float32 tensor for a Float64 state", child.Output);
        Assert.Contains("dtype: ScalarType.Float64", child.Output);
    }

    // Child: the README's rates y³·A with a float32 A and a float64 state, called directly.
    static void MatmulOfMixedDtypes()
    {
        var a = torch.ones(2, 2, ScalarType.Float32);
        var y = torch.ones(1, 2, ScalarType.Float64);
        try
        {
            y.pow(3).matmul(a);
            Console.WriteLine("no error");
        }
        catch (Exception e) { Console.WriteLine($"caught {e.GetType().Name}"); }
    }

    [Fact]
    public void TorchSharpsMatmulEndsTheProcessOnMixedDtypesWhereMmThrows()
    {
        // TorchSharp 0.107's native THSTensor_matmul is the one tensor op not wrapped in CATCH_TENSOR: libtorch's c10::Error
        // reaches the P/Invoke boundary, no handler can catch it, and std::terminate aborts (SIGABRT, exit 128 + 6). No
        // managed code can prevent that, hence the docs' advice (mm, explicit dtypes). If this starts failing, TorchSharp
        // has fixed it: update docs/solvers.md ("Mixed dtypes").
        var child = ChildProcess.Run(MatmulOfMixedDtypes);
        Assert.Equal(134, child.ExitCode);
        Assert.Contains("c10::Error", child.Error);
        Assert.Contains("expected m1 and m2 to have the same dtype", child.Error);
        Assert.DoesNotContain("caught", child.Output);

        // mm of the same operands reports the same problem as a catchable exception.
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ExternalException>(() => torch.ones(1, 2, ScalarType.Float64).mm(torch.ones(2, 2, ScalarType.Float32)));
        Assert.Contains("same dtype", e.Message);
    }
}
