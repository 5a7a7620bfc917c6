using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Declares that a system computes Jacobian–vector products <c>(∂f/∂y)(t, y)·v</c> itself (e.g. from a stencil or an
/// analytic formula). Matrix-free implicit solves (<see cref="KrylovSettings"/>) then use it instead of autograd or finite
/// differences, and never form the dense <c>[batch, n, n]</c> Jacobian.
/// </summary>
public interface IJacobianVectorProduct : IOdeSystem
{
    /// <summary>The product of each row's Jacobian at <c>(t, y)</c> with that row's <paramref name="v"/>; all <c>[batch, n]</c>.</summary>
    /// <param name="t">Time, as passed to <see cref="IOdeSystem.Rates"/>.</param>
    /// <param name="y">The state the Jacobian is taken at.</param>
    /// <param name="v">The direction, one per row.</param>
    Tensor JacobianVectorProduct(Tensor t, Tensor y, Tensor v);
}
