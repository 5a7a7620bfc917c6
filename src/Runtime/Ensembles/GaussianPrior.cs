using NodeDsl.Runtime.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>
/// An independent zero-mean Gaussian prior <c>N(0, σᵢ²)</c> on every entry of each parameter tensor i: the prior
/// that anchored ensembles draw their initial weights and anchors from (Pearce et al. 2018, Algorithm 1).
/// </summary>
public sealed class GaussianPrior
{
    /// <summary>A prior with variance <c>variances[i]</c> on every entry of <c>parameters[i]</c>.</summary>
    public GaussianPrior(IReadOnlyList<Parameter> parameters, IReadOnlyList<double> variances)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(variances);
        if (parameters.Count == 0) throw new ArgumentException("A prior needs at least one parameter.", nameof(parameters));
        if (parameters.Count != variances.Count)
            throw new ArgumentException($"{parameters.Count} parameters but {variances.Count} variances; give one variance per parameter tensor.", nameof(variances));
        var bad = variances.Select((v, i) => (v, i)).FirstOrDefault(p => !(p.v > 0 && double.IsFinite(p.v)), (-1, -1));
        if (bad.Item2 >= 0) throw new ArgumentOutOfRangeException(nameof(variances), $"Prior variance {bad.Item2} is {bad.Item1}; variances must be positive and finite.");
        Parameters = parameters.ToArray();
        Variances = variances.ToArray();
    }

    /// <summary>
    /// The width-scaled prior of Neal (1996), used by Pearce et al.: a layer's weights get <c>σ²/fan_in</c> (so a
    /// pre-activation has variance about σ² whatever the width), its biases <c>σ²</c>.
    /// </summary>
    public static GaussianPrior FanInScaled(EnsembleMlp network, double variance)
    {
        ArgumentNullException.ThrowIfNull(network);
        var parameters = new List<Parameter>();
        var variances = new List<double>();
        for (int l = 0; l < network.Weights.Count; l++)
        {
            parameters.Add(network.Weights[l]);
            variances.Add(variance / network.Widths[l]);
            parameters.Add(network.Biases[l]);
            variances.Add(variance);
        }
        return new GaussianPrior(parameters, variances);
    }

    /// <summary>The parameter tensors the prior covers.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }
    /// <summary>The prior variance of each entry of the matching parameter tensor.</summary>
    public IReadOnlyList<double> Variances { get; }

    /// <summary>
    /// One draw from the prior: tensors shaped, typed and placed like the parameters, detached and outside any dispose
    /// scope (the caller owns them). Drawn host side from <paramref name="random"/>, so equal seeds give equal draws on any device.
    /// </summary>
    public Tensor[] Sample(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var draws = new Tensor[Parameters.Count];
        for (int i = 0; i < draws.Length; i++)
        {
            var p = Parameters[i];
            double sd = System.Math.Sqrt(Variances[i]);
            var values = new double[p.numel()];
            for (int k = 0; k < values.Length; k++) values[k] = sd * random.NextGaussian();
            using var host = torch.tensor(values, p.shape, ScalarType.Float64);
            draws[i] = host.to(p.dtype, p.device).DetachFromDisposeScope();
        }
        return draws;
    }

    /// <summary>Overwrites the parameters with one draw from the prior (the members' initialisation).</summary>
    public void Initialize(SeededRandom random)
    {
        var draw = Sample(random);
        using (no_grad())
            for (int i = 0; i < draw.Length; i++) Parameters[i].copy_(draw[i]);
        foreach (var d in draw) d.Dispose();
    }

    /// <summary>
    /// Draws anchors from the prior and returns the anchored regulariser with Pearce et al.'s weights
    /// <c>λᵢ = σ_ε² / (N σᵢ²)</c>, which make the mean-squared-error loss plus the penalty the negative log posterior
    /// divided by <c>N/σ_ε²</c>.
    /// </summary>
    /// <param name="random">Generator of the anchors (use a stream independent of the initialisation's).</param>
    /// <param name="noiseVariance">σ_ε², the variance of the observation noise.</param>
    /// <param name="dataCount">N, the number of scored scalar observations the data loss averages over (points × observed states).</param>
    /// <param name="members">M, the size of the ensemble dimension 0 of every parameter (1 for a single model).</param>
    public AnchoredRegularizer Anchor(SeededRandom random, double noiseVariance, int dataCount, int members)
    {
        if (!(noiseVariance > 0 && double.IsFinite(noiseVariance)))
            throw new ArgumentOutOfRangeException(nameof(noiseVariance), $"The noise variance must be positive and finite, not {noiseVariance}.");
        if (dataCount < 1) throw new ArgumentOutOfRangeException(nameof(dataCount), $"The data count must be positive, not {dataCount}.");
        var lambdas = Variances.Select(v => noiseVariance / (dataCount * v)).ToArray();
        return new AnchoredRegularizer(Parameters, Sample(random), lambdas, members);
    }
}
