using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The continuous extension of a Rodas-type Rosenbrock step (Steinebach 2023; OrdinaryDiffEq.jl's
/// <c>rosenbrock_interpolants.jl</c>): <c>y(θ) = (1 − θ) y0 + θ (y1 + (1 − θ)(K₁ + θ(K₂ + θK₃)))</c>, where
/// <c>K_p = Σᵢ H_pᵢ kᵢ</c> are the tableau's dense rows applied to the stage increments.
/// </summary>
internal sealed class RosenbrockDenseOutput(Tensor y0, Tensor y1, Tensor k1, Tensor k2, Tensor k3) : IDenseOutput
{
    /// <inheritdoc />
    public Tensor At(double theta)
    {
        var inner = ScalarOps.Add(k1, ScalarOps.Add(k2, k3, theta), theta);          // K₁ + θ(K₂ + θK₃)
        var outer = ScalarOps.Add(y1, inner, 1 - theta);                               // y1 + (1 − θ)(…)
        return ScalarOps.Add(ScalarOps.Mul(y0, 1 - theta), outer, theta);
    }

    /// <inheritdoc />
    public Tensor At(Tensor theta)
    {
        var rest = ScalarOps.RSub(1, theta);
        var inner = ScalarOps.AddCMul(k1, theta, ScalarOps.AddCMul(k2, theta, k3, 1), 1);
        var outer = ScalarOps.AddCMul(y1, rest, inner, 1);
        return ScalarOps.AddCMul(y0.mul(rest), theta, outer, 1);
    }
}
