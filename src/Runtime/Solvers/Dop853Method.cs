using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// DOP853: the explicit RK step of <see cref="Tableaus.Dopri8"/> with Hairer's combined error norm
/// <c>err = e5² / sqrt(e5² + 0.01·e3²)</c> (Hairer, Nørsett &amp; Wanner I, II.10; scipy's DOP853), which behaves
/// like an eighth-order estimate while staying robust when the fifth-order one is accidentally small.
/// </summary>
public sealed class Dop853Method() : ExplicitRungeKutta("dopri8", Tableaus.Dopri8.Tableau)
{
    /// <inheritdoc />
    public override Tensor ErrorNorm(StepAttempt attempt, Tensor scale, bool perTrajectory)
    {
        var r5 = ScalarOps.Square(attempt.ErrorEstimate!.div(scale));
        var r3 = ScalarOps.Square(attempt.SecondErrorEstimate!.div(scale));
        long[] dims = perTrajectory ? [1L] : [0L, 1L];
        var s5 = r5.sum(dims);
        var s3 = r3.sum(dims);
        long count = perTrajectory ? scale.shape[1] : scale.numel();
        // RMS form of scipy's |h|·‖e5‖² / sqrt(n(‖e5‖² + 0.01‖e3‖²)); 0/0 (both zero) is a zero error.
        var denominator = ScalarOps.Mul(ScalarOps.Add(s5, s3, 0.01), count).sqrt();
        return torch.where(ScalarOps.Gt(denominator, 0), s5.div(denominator), torch.zeros_like(s5));
    }
}
