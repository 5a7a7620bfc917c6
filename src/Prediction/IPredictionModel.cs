using NodeDsl.Numerics;

namespace NodeDsl.Prediction;

/// <summary>The observed state components and the input components of a model's predictions.</summary>
/// <param name="StateNames">One name per observed component of the state, in state order (<c>x</c>, or <c>h[0]</c>, <c>h[1]</c> for a vector);
/// the unobserved components (augmented states, latent velocities) follow them in the kernels' state and start at zero.</param>
/// <param name="InputNames">One name per input component (<c>mu</c>, or <c>c[0]</c>, <c>c[1]</c>).</param>
public sealed record PredictionLayout(IReadOnlyList<string> StateNames, IReadOnlyList<string> InputNames);

/// <summary>
/// A model built for prediction without libtorch: the generator implements it on every native-eligible model of a project
/// that references NodeDsl.Prediction and not NodeDsl.Runtime (docs/surrogates.md). The kernels
/// (<see cref="IRatesKernelSource"/>) are the same code the TorchSharp runtime runs natively.
/// </summary>
public interface IPredictionModel : IRatesKernelSource
{
    /// <summary>Names of the observed state and input components.</summary>
    PredictionLayout PredictionLayout { get; }

    /// <summary>
    /// Gives the model its parameters θ in the kernels' layout (<see cref="KernelLayout.Parameters"/>): the model's own
    /// C# (its [Rates] method, its [Neural] methods, its [Learnable] fields) reads them from then on.
    /// </summary>
    /// <exception cref="ArgumentException">θ does not have <see cref="KernelLayout.ParameterCount"/> values.</exception>
    void LoadParameters(double[] theta);
}

/// <summary>
/// A weight file names a solver that prediction without libtorch cannot run (an implicit, symplectic or multistep method,
/// or DOP853): the message names it, the native ones, and the remedies.
/// </summary>
public sealed class NativeSolverUnavailableException(string solver, string source)
    : InvalidOperationException(
        $"{source} names the solver '{solver}', which has no native form; prediction without libtorch runs the explicit Runge–Kutta " +
        $"methods {string.Join(", ", NativeSolvers.Names)}. Set the surrogate's Solver to one of them (after checking its accuracy), " +
        "predict with the TorchSharp surrogate (NodeDsl.Runtime's Surrogate<TModel>), or export the weights with one of them in the metadata.")
{
    /// <summary>The solver the weight file names.</summary>
    public string Solver { get; } = solver;
}
