using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// An exactly singular Newton iteration matrix is a failed step (null), not libtorch's lu_factor error: the backward solve
/// of the backsolve adjoint on a stiff system met one and ended with ExternalException instead of shrinking the step.
/// </summary>
public class SingularIterationMatrixTests
{
    [Fact]
    public void SingularMatrixIsAFailedFactorisation()
    {
        // J = I/(γh) makes I − γhJ exactly zero in every row of the batch.
        const double gamma = 0.25, h = 0.5;
        using var jacobian = eye(2, dtype: ScalarType.Float64).mul(1 / (gamma * h)).expand(3, 2, 2).contiguous();
        using var step = StepPoint.Shared(0, h, ScalarType.Float64, CPU);
        Assert.Null(IterationMatrix.Factorize(jacobian, step, gamma, new SolveCounters()));
    }

    [Fact]
    public void RegularMatrixStillFactorises()
    {
        using var jacobian = eye(2, dtype: ScalarType.Float64).mul(-3).expand(3, 2, 2).contiguous();
        using var step = StepPoint.Shared(0, 0.5, ScalarType.Float64, CPU);
        using var matrix = IterationMatrix.Factorize(jacobian, step, 0.25, new SolveCounters());
        Assert.NotNull(matrix);
        // M = (1 + 0.375) I, so M x = r gives x = r / 1.375.
        using var x = matrix!.Solve(ones(3, 2, dtype: ScalarType.Float64));
        Assert.Equal(1 / 1.375, x[0, 0].item<double>(), 15);
    }
}
