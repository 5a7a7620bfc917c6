using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace ParametrizedSurrogate;

/// <summary>
/// Viscous Burgers' equation u_t + (u²/2)_x = ν u_xx on the periodic interval [0, 2π), semi-discretised by central
/// differences on <see cref="GridSize"/> points (method of lines); the reference data of the experiment.
/// </summary>
/// <remarks>
/// Rates of point i: −(u²ᵢ₊₁ − u²ᵢ₋₁)/(4Δx) + ν (uᵢ₊₁ − 2uᵢ + uᵢ₋₁)/Δx², indices mod n. The conservative
/// flux form keeps Σuᵢ constant, which the tests of the reference use.
/// </remarks>
public static class BurgersEquation
{
    /// <summary>Grid points.</summary>
    public const int GridSize = 48;
    /// <summary>Length of the periodic domain.</summary>
    public const double Length = 2 * System.Math.PI;
    /// <summary>Grid spacing.</summary>
    public const double Spacing = Length / GridSize;
    /// <summary>Step of the fine RK4 reference solve.</summary>
    public const double ReferenceStep = 1e-3;

    /// <summary>Grid coordinates xᵢ = iΔx.</summary>
    public static double[] Grid() => Enumerable.Range(0, GridSize).Select(i => i * Spacing).ToArray();

    /// <summary>The initial condition: a Gaussian bump u₀(x) = exp(−(x − π)²/(2·0.5²)) on a zero background.</summary>
    public static double[] InitialCondition()
        => Grid().Select(x => System.Math.Exp(-(x - System.Math.PI) * (x - System.Math.PI) / (2 * 0.5 * 0.5))).ToArray();

    /// <summary>The semi-discretised rates for a batch <c>u: [batch, n]</c> with one viscosity per row <c>nu: [batch, 1]</c>.</summary>
    public static Tensor Rates(Tensor u, Tensor nu)
    {
        using var scope = NewDisposeScope();
        var right = u.roll(-1, 1);   // uᵢ₊₁
        var left = u.roll(1, 1);     // uᵢ₋₁
        var flux = ScalarOps.Div(right.square() - left.square(), 4 * Spacing);
        var diffusion = ScalarOps.Div(ScalarOps.Sub(right + left, u, 2.0), Spacing * Spacing);
        return (diffusion * nu - flux).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Reference trajectories <c>[T, nu.Length, n]</c> at <paramref name="times"/> from <see cref="InitialCondition"/>:
    /// RK4 with step <see cref="ReferenceStep"/> in float64 (error ~Δt⁴, far below the surrogate's).
    /// </summary>
    public static double[,,] Solve(double[] viscosities, double[] times)
    {
        ArgumentNullException.ThrowIfNull(viscosities);
        ArgumentNullException.ThrowIfNull(times);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int b = viscosities.Length;
        var nu = tensor(viscosities, [b, 1], ScalarType.Float64);
        var u0 = tensor(InitialCondition(), [1, GridSize], ScalarType.Float64).expand(b, GridSize).contiguous();
        var ts = tensor(times, ScalarType.Float64);
        var ys = Ode.Solve((t, u) => Rates(u, nu), u0, ts, Solvers.Rk4, new SolverOptions { StepSize = ReferenceStep }).Ys;
        var flat = ys.contiguous().data<double>().ToArray();
        var result = new double[times.Length, b, GridSize];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
