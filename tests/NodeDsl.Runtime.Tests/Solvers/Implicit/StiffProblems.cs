using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>Test problems for the stiff solvers, batched over rows of <c>y: [batch, n]</c>.</summary>
internal static class StiffProblems
{
    /// <summary>Van der Pol <c>x'' − μ(1 − x²)x' + x = 0</c> as <c>(x, v)' = (v, μ(1 − x²)v − x)</c> (Hairer &amp; Wanner II, §IV.1).</summary>
    public static IOdeSystem VanDerPol(double mu) => new DelegateOdeSystem((t, y) =>
    {
        var x = y[TensorIndex.Colon, TensorIndex.Single(0)];
        var v = y[TensorIndex.Colon, TensorIndex.Single(1)];
        return stack([v, x.square().neg().add(1).mul(v).mul(mu).sub(x)], dim: 1);
    });

    /// <summary>
    /// Prothero–Robinson <c>y' = λ(y − cos t) − sin t</c>, exact solution <c>cos t</c> from <c>y(0) = 1</c>
    /// (Prothero &amp; Robinson, Math. Comp. 28 (1974)); every component independently.
    /// </summary>
    public static IOdeSystem ProtheroRobinson(double lambda)
        => new DelegateOdeSystem((t, y) => y.sub(t.cos()).mul(lambda).sub(t.sin()));

    /// <summary>The linear system <c>y' = y Aᵀ</c> (row-vector convention), exact solution <c>y0 exp(tA)ᵀ</c>.</summary>
    public static IOdeSystem Linear(Tensor a) => new DelegateOdeSystem((t, y) => y.matmul(a.t()));

    /// <summary>Exact states <c>[T, batch, n]</c> of <see cref="Linear"/> at <paramref name="ts"/> via the matrix exponential.</summary>
    public static Tensor LinearSolution(Tensor a, Tensor y0, Tensor ts)
        => stack(Enumerable.Range(0, (int)ts.shape[0])
            .Select(i => y0.matmul(linalg.matrix_exp(a.mul(ts[i])).t())).ToArray());
}
