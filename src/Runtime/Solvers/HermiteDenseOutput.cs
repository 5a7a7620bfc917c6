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
        return ScalarOps.Add(ScalarOps.Add(ScalarOps.Add(ScalarOps.Mul(y0, h00), y1, h01), f0, h * h10), f1, h * h11);
    }

    public Tensor At(Tensor theta)
    {
        var t2 = ScalarOps.Square(theta);
        var t3 = t2.mul(theta);
        var h01 = ScalarOps.Mul(t2, 3).sub(ScalarOps.Mul(t3, 2));             // 3θ² − 2θ³
        var h10 = t3.sub(ScalarOps.Mul(t2, 2)).add(theta, ScalarOps.One);         // θ³ − 2θ² + θ
        var h11 = t3.sub(t2);                           // θ³ − θ²
        // y0 + h01 (y1 − y0) + h (h10 f0 + h11 f1), since h00 = 1 − h01.
        var slope = ScalarOps.AddCMul(f0.mul(h10), f1, h11, 1);
        return ScalarOps.AddCMul(ScalarOps.AddCMul(y0, h01, y1.sub(y0), 1), step.H, slope, 1);
    }

    static (double H00, double H10, double H01, double H11) Basis(double t)
    {
        double t2 = t * t, t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + t, -2 * t3 + 3 * t2, t3 - t2);
    }
}
