using NodeDsl.Runtime.Ensembles;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Ensembles;

/// <summary>Builds ensembles in float64 and extracts single members as independent <see cref="Mlp"/>s (nn.Linear layers).</summary>
static class EnsembleTestModels
{
    public static EnsembleNeuralOde Ensemble(int members, int stateSize, int[] hidden, long seed)
    {
        var ode = new EnsembleNeuralOde(members, stateSize, hidden, Activation.Tanh, ScalarType.Float64);
        // A wide prior makes the members clearly different and the dynamics non-trivial.
        GaussianPrior.FanInScaled(ode.Network, 2.0).Initialize(new NodeDsl.Runtime.Data.SeededRandom(seed));
        return ode;
    }

    /// <summary>Member <paramref name="member"/> as a plain perceptron: nn.Linear stores W[j]ᵀ ([out, in]) and b[j].</summary>
    public static Mlp Member(EnsembleMlp ensemble, int member)
    {
        var hidden = ensemble.Widths.Skip(1).Take(ensemble.Widths.Count - 2).ToArray();
        var mlp = new Mlp("member", ensemble.InputSize, hidden, ensemble.OutputSize, ensemble.Activation, ScalarType.Float64);
        using (no_grad())
            for (int l = 0; l < mlp.Layers.Count; l++)
            {
                mlp.Layers[l].weight!.copy_(ensemble.Weights[l][member].t());
                mlp.Layers[l].bias!.copy_(ensemble.Biases[l][member].squeeze(0));
            }
        return mlp;
    }

    public static Tensor Random(long seed, params long[] shape)
    {
        var rng = new NodeDsl.Runtime.Data.SeededRandom(seed);
        var values = new double[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextGaussian();
        return tensor(values, shape, ScalarType.Float64);
    }
}
