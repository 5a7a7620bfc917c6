using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>How direct backpropagation differentiates the stage equations of an implicit Runge–Kutta step.</summary>
public enum StageDifferentiation
{
    /// <summary>
    /// Solve the stage equations without a graph, then differentiate their solution implicitly (implicit function
    /// theorem): per step one extra evaluation of every stage with a graph, one Jacobian per stage and one linear solve
    /// with the exact stage matrix; the graph holds one evaluation per stage whatever the Newton iteration did. Exact for
    /// the converged stages.
    /// </summary>
    Implicit,
    /// <summary>
    /// Record every Newton iteration in the graph and backpropagate through them as they ran: no extra work in the forward
    /// pass, but the graph (memory and backward time) grows with the number of iterations, and the gradient is that of the
    /// last iterate (accurate to the Newton tolerance).
    /// </summary>
    Unrolled,
}

/// <summary>
/// Implicit differentiation of the converged stages of an implicit Runge–Kutta step. The stage increments <c>Z</c>
/// (<c>Zᵢ = Yᵢ − y0</c>) solve <c>G(Z) = Z − h (A ⊗ I) F(y0 + Z) = 0</c>; with <c>M = ∂G/∂Z = I − h (A ⊗ I) diag(Jᵢ)</c> at the
/// solution, <c>dZ = −M⁻¹ ∂G/∂(y0, θ)</c>. This returns <c>Z + (C − stop_gradient(C))</c> with <c>C = −M⁻¹ G(Z*)</c> computed with
/// a graph through <c>G</c> only: its value is <c>Z*</c> exactly, its derivative the implicit-function-theorem one. The
/// backward pass is one VJP per stage and one transposed <c>sn×sn</c> solve per row.
/// </summary>
internal static class ImplicitStageGradient
{
    /// <summary>
    /// Attaches the gradient to the converged, graph-free increments <paramref name="z"/> (<c>[s, batch, n]</c>).
    /// Returns them with the implicit gradient, and <c>f(t0 + c_s h, y0 + Z_s)</c> with its graph (the rates at the last
    /// stage, which is <c>y1</c> for a stiffly accurate method).
    /// </summary>
    public static (Tensor Z, Tensor LastRates) Attach(IOdeSystem f, StepPoint step, Tensor y0, Tensor z, double[,] a, IReadOnlyList<double> c,
        JacobianMethod jacobianMethod, SolveCounters counters)
    {
        int s = c.Count;
        long batch = y0.shape[0], n = y0.shape[1];
        var rates = new Tensor[s];
        var jacobians = new Tensor[s];
        for (int i = 0; i < s; i++)
        {
            var t = step.Time(c[i]);
            var yi = y0.add(z[i], ScalarOps.One);
            rates[i] = counters.Rates(f, t, yi);
            jacobians[i] = RatesJacobian.Evaluate(f, t, yi.detach(), rates[i].detach(), jacobianMethod, counters);
        }
        var coupling = Coupling(a, y0);
        // G = Z − h (A ⊗ I) F, with a graph through F (to y0 and the parameters).
        var af = coupling.mm(torch.stack(rates).view(s, -1)).view(s, batch, n);
        var g = z.sub(step.Scale(af, 1.0));
        Tensor matrix;
        using (torch.no_grad())
        {
            // M[b] = I − h (A ⊗ I) diag(J₁ … J_s): block (i, j) is δᵢⱼ I − h aᵢⱼ Jⱼ; a constant of the backward pass.
            var stacked = torch.stack(jacobians);                                           // [s, batch, n, n]
            var hj = step.IsPerTrajectory ? stacked.mul(step.H.unsqueeze(-1)) : ScalarOps.Mul(stacked, step.SharedStep);
            var blocks = torch.einsum("ij,jbkl->bikjl", coupling, hj).reshape(batch, s * n, s * n);
            matrix = eye(s * n, dtype: y0.dtype, device: y0.device).sub(blocks);
        }
        var rhs = g.permute(1, 0, 2).reshape(batch, s * n, 1);
        var solved = linalg.solve(matrix, rhs).view(batch, s, n).permute(1, 0, 2).neg();  // C = −M⁻¹ G
        var delta = solved.sub(solved.detach());                                              // value 0, derivative dZ
        var zWithGradient = z.add(delta, ScalarOps.One);
        // f(y0 + Z_s) to first order: its derivative also moves with Z_s.
        var last = rates[s - 1].add(jacobians[s - 1].bmm(delta[s - 1].unsqueeze(-1)).squeeze(-1), ScalarOps.One);
        return (zWithGradient, last);
    }

    static Tensor Coupling(double[,] a, Tensor like)
    {
        int s = a.GetLength(0);
        var flat = new double[s * s];
        for (int i = 0; i < s; i++)
            for (int j = 0; j < s; j++)
                flat[i * s + j] = a[i, j];
        return torch.tensor(flat, new long[] { s, s }, like.dtype, like.device);
    }
}
