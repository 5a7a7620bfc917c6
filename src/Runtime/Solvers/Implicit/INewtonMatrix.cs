using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The linear solves of a simplified Newton iteration, <c>(I − γhJ)Δ = r</c> for every batch row: by LU factors
/// (<see cref="IterationMatrix"/>) or matrix-free by GMRES (<see cref="KrylovIterationMatrix"/>).
/// </summary>
internal interface INewtonMatrix
{
    /// <summary>Solves for every row of <paramref name="r"/> (<c>[batch, n]</c>); null when an iterative solve did not converge.</summary>
    Tensor? Solve(Tensor r);
}
