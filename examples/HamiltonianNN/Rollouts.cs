using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HamiltonianNN;

/// <summary>Trajectories of the true system and of a learned one from the same initial states, and the energy metric.</summary>
public static class Rollouts
{
    /// <summary>dopri5 at rtol = atol = 1e-10 (Greydanus: RK45, rtol 1e-12): solver error far below the model error.</summary>
    public static readonly SolverOptions Accurate = new() { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10, MaxSteps = 1_000_000 };

    /// <summary>Solves <paramref name="system"/> from <paramref name="y0"/> (<c>[batch, 2]</c>) at <paramref name="times"/>; <c>[T, batch, 2]</c>.</summary>
    public static Tensor Solve(IOdeSystem system, Tensor y0, Tensor times)
    {
        using var noGrad = no_grad();
        return Ode.Solve(system, y0, times, Solvers.Dopri5, Accurate).Ys;
    }

    /// <summary>
    /// Greydanus' energy MSE: the true energy along the model's trajectory against the true energy along the true
    /// trajectory, squared, averaged over times and initial states.
    /// </summary>
    public static double EnergyMse(HamiltonianTask task, Tensor predicted, Tensor truth)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return TrueEnergy(task, predicted).sub(TrueEnergy(task, truth)).square().mean().ToDouble();
    }

    /// <summary>Mean squared distance between two trajectories' states.</summary>
    public static double StateMse(Tensor predicted, Tensor truth)
    {
        using var scope = NewDisposeScope();
        return predicted.sub(truth).square().mean().ToDouble();
    }

    /// <summary>The true energy of every state of a trajectory <c>[T, batch, 2]</c>, as <c>[T, batch]</c>.</summary>
    public static Tensor TrueEnergy(HamiltonianTask task, Tensor trajectory)
        => task.Energy(trajectory.reshape(-1, 2)).reshape(trajectory.shape[0], trajectory.shape[1]);
}
