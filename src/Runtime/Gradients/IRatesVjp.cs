using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Vector–Jacobian products of a system's rates, <c>(t, y, a) → (f, aᵀ∂f/∂y, aᵀ∂f/∂θ, aᵀ∂f/∂t)</c>: what the adjoint
/// gradient methods evaluate at every stage of the backward solve.
/// </summary>
/// <remarks>
/// <para>Implemented by <see cref="AutogradRatesVjp"/> (autograd over any <see cref="IOdeSystem"/>) and, analytically,
/// by generated models. An implementation must agree with <c>torch.autograd.grad</c> of <see cref="IOdeSystem.Rates"/>.</para>
/// <para>Results are plain values outside any autograd graph (no <c>grad_fn</c>), in the caller's dispose scope.</para>
/// <para>For generated models: list <c>parameters()</c> in registration order and then <see cref="OdeModel.Inputs"/> when
/// it requires grad (as <see cref="AutogradRatesVjp.For"/> does), return null for entries that do not require grad, and
/// compute <c>VjpT</c> only when asked. The adjoint methods find the implementation by <c>system is IRatesVjp</c>.</para>
/// </remarks>
public interface IRatesVjp
{
    /// <summary>
    /// The tensors θ the rates depend on and whose gradients are wanted, in a fixed order: physical parameters,
    /// network weights and per-trajectory inputs. Entries that do not require grad get no gradient.
    /// </summary>
    IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Evaluates the rates and their vector–Jacobian products at one point.</summary>
    /// <param name="t">Time, 0-d or <c>[batch, 1]</c> (as in <see cref="IOdeSystem.Rates"/>).</param>
    /// <param name="y">State, <c>[batch, n]</c>.</param>
    /// <param name="a">Cotangent (adjoint), <c>[batch, n]</c>.</param>
    /// <param name="withTime">Also compute <see cref="RatesVjpResult.VjpT"/>.</param>
    RatesVjpResult Vjp(Tensor t, Tensor y, Tensor a, bool withTime = false);
}

/// <summary>The result of <see cref="IRatesVjp.Vjp"/>.</summary>
/// <param name="F">The rates <c>f(t, y)</c>, <c>[batch, n]</c>.</param>
/// <param name="VjpY"><c>aᵀ∂f/∂y</c>, <c>[batch, n]</c> (row by row).</param>
/// <param name="VjpParams">
/// <c>aᵀ∂f/∂θ</c> for each entry of <see cref="IRatesVjp.Parameters"/>, with that entry's shape (summed over the batch for
/// shared parameters, one row per trajectory for per-trajectory inputs); null where the entry does not require grad or
/// the rates do not depend on it (a zero gradient).
/// </param>
/// <param name="VjpT"><c>aᵀ∂f/∂t</c> with the shape of <c>t</c> when asked for; null otherwise or when f does not depend on t.</param>
public sealed record RatesVjpResult(Tensor F, Tensor VjpY, IReadOnlyList<Tensor?> VjpParams, Tensor? VjpT);
