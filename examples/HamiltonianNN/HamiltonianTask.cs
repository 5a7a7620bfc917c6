using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace HamiltonianNN;

/// <summary>One of Greydanus et al.'s tasks: the true system, its energy, and how initial states are drawn.</summary>
/// <param name="Name">"spring" or "pendulum".</param>
/// <param name="Truth">The true Hamiltonian model (float64).</param>
/// <param name="Energy">The true energy of rows <c>[batch, 2]</c>, <c>[batch, 1]</c>.</param>
/// <param name="MinRadius">Smallest radius ‖(q, p)‖ of an initial state.</param>
/// <param name="MaxRadius">Largest radius.</param>
public sealed record HamiltonianTask(string Name, OdeModel Truth, Func<Tensor, Tensor> Energy, double MinRadius, double MaxRadius)
{
    /// <summary>
    /// Mass–spring; radius in [0.1, 1] as in Greydanus' <c>experiment-spring/data.py</c> (<c>rand()*0.9 + 0.1</c>). For the
    /// spring a circle in phase space is an energy shell, H = r²/2.
    /// </summary>
    public static HamiltonianTask Spring()
    {
        var truth = new IdealSpring(new ModelOptions { DType = ScalarType.Float64 });
        return new("spring", truth, y => truth.Energies(Zero(), y), 0.1, 1.0);
    }

    /// <summary>
    /// Pendulum; radius in [1.3, 2.3] as in <c>experiment-pend/data.py</c> (<c>rand() + 1.3</c>). There the circle in
    /// phase space is not an energy shell: energies range from about 0.9 to 15.
    /// </summary>
    public static HamiltonianTask Pendulum()
    {
        var truth = new IdealPendulum(new ModelOptions { DType = ScalarType.Float64 });
        return new("pendulum", truth, y => truth.Energies(Zero(), y), 1.3, 2.3);
    }

    static Tensor Zero() => tensor(0.0, ScalarType.Float64);
}
