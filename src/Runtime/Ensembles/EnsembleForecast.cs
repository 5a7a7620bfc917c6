using static TorchSharp.torch;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>Every member's trajectory from one initial state, by one batched solve of an ensemble system.</summary>
public static class EnsembleForecast
{
    /// <summary>
    /// Solves <paramref name="system"/> (an ensemble over member-major rows, e.g. <see cref="EnsembleNeuralOde"/>) from
    /// <paramref name="initialState"/> for all <paramref name="members"/> at once; returns <c>[M, T, n]</c> on
    /// <paramref name="times"/> (times[0] is the initial time). No gradients are recorded.
    /// </summary>
    public static double[,,] Members(IOdeSystem system, int members, double[] initialState, double[] times, IOdeSolver solver,
        SolverOptions? options = null, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(times);
        if (times.Length < 2) throw new ArgumentException("Give at least 2 times.", nameof(times));
        int n = initialState.Length, t = times.Length;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var y0 = EnsembleRows.Replicate(tensor(initialState, [1, n], dtype, device), members);
        var grid = tensor(times, [t], dtype, device);
        var ys = Ode.Solve(system, y0, grid, solver, options).Ys;                           // [T, M, n]
        var flat = ys.permute(1, 0, 2).to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var result = new double[members, t, n];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
