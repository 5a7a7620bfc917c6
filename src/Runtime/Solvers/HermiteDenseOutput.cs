using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The cubic Hermite interpolant through <c>y0, f0, y1, f1</c> on one step: third order, no extra evaluation.
/// Used when a method has no continuous extension of its own.
/// </summary>
internal sealed class HermiteDenseOutput(StepPoint step, Tensor y0, Tensor f0, Tensor y1, Tensor f1) : IDenseOutput
{
    public Tensor At(double theta)
    {
        var (h00, h10, h01, h11) = Basis(theta);
        double h = step.SharedStep;
        return y0.mul(h00).add(y1, alpha: h01).add(f0, alpha: h * h10).add(f1, alpha: h * h11);
    }

    public Tensor At(Tensor theta)
    {
        var t2 = theta.square();
        var t3 = t2.mul(theta);
        var h01 = t2.mul(3).sub(t3.mul(2));             // 3θ² − 2θ³
        var h10 = t3.sub(t2.mul(2)).add(theta);         // θ³ − 2θ² + θ
        var h11 = t3.sub(t2);                           // θ³ − θ²
        // y0 + h01 (y1 − y0) + h (h10 f0 + h11 f1), since h00 = 1 − h01.
        var slope = f0.mul(h10).addcmul(f1, h11, value: 1);
        return y0.addcmul(h01, y1.sub(y0), value: 1).addcmul(step.H, slope, value: 1);
    }

    static (double H00, double H10, double H01, double H11) Basis(double t)
    {
        double t2 = t * t, t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + t, -2 * t3 + 3 * t2, t3 - t2);
    }
}
