namespace NodeDsl.Runtime;

/// <summary>
/// Settings of the matrix-free (Newton–Krylov) linear solves of an implicit method: each simplified Newton correction
/// <c>(I − γhJ)Δ = r</c> is solved by restarted GMRES (Saad &amp; Schultz 1986) per batch row, using only Jacobian–vector
/// products, so no <c>[batch, n, n]</c> Jacobian is formed or factorised. Products come from
/// <see cref="IJacobianVectorProduct"/> when the system declares it, otherwise from the <see cref="JacobianMethod"/> of the
/// method: reverse-mode autograd applied twice (the "double-backward" trick: <c>Jv = ∂(uᵀJv)/∂u</c> of the VJP, one
/// backward pass per product after one graph per step) or a forward difference (one vector-field evaluation per product).
/// No preconditioner: GMRES needs more iterations as <c>γh‖J‖</c> grows, so it suits large n whose stiffness is moderate
/// (or whose steps stay moderate); a correction that does not reach <see cref="Tolerance"/> fails the Newton iteration and the
/// step is retried smaller. Direct backpropagation through these solves is not supported; use an adjoint.
/// </summary>
/// <param name="Restart">Krylov dimension before GMRES restarts (memory: Restart + 1 vectors of <c>[batch, n]</c>).</param>
/// <param name="MaxIterations">Jacobian–vector products per linear solve, over all restarts.</param>
/// <param name="Tolerance">
/// Relative residual <c>‖r − MΔ‖ / ‖r‖</c> each row must reach. Simplified Newton only needs an approximate correction
/// (an inexact Newton method converges with a rate near max(θ, tolerance), Dembo, Eisenstat &amp; Steihaug 1982), so the default
/// 10⁻³ leaves the Newton contraction rate, and hence the step sequence, close to the dense path's.
/// </param>
public sealed record KrylovSettings(int Restart = 40, int MaxIterations = 200, double Tolerance = 1e-3)
{
    /// <summary>Checks the values; throws with the offending setting named.</summary>
    internal KrylovSettings Validated()
    {
        if (Restart < 1) throw new ArgumentOutOfRangeException(nameof(Restart), Restart, "The Krylov dimension must be at least 1.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "GMRES needs at least one iteration.");
        if (!(Tolerance > 0 && Tolerance < 1)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The GMRES tolerance is a relative residual in (0, 1).");
        return this;
    }
}
