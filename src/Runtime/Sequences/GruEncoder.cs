using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Sequences;

/// <summary>
/// Recognition network of a latent ODE (Chen et al. 2018 §5, Rubanova et al. 2019): a GRU run backwards in time over
/// each row's own observations gives the approximate posterior <c>q(z₀ | x) = N(μ, diag σ²)</c> of the latent state at
/// the batch's origin.
/// </summary>
/// <remarks>
/// <para>At each observation k (from the last to the first) the GRU reads <c>[x_k ⊙ m_k, m_k, t_k − t_{k−1}]</c>: the
/// values with missing entries zeroed, the mask itself (so a missing value is told from a zero, as in Rubanova et al.'s
/// encoders), and the gap to the previous observation (<c>t_{−1}</c> = the origin), so every interval between the origin
/// and the last observation is seen exactly once. Padded entries (beyond a row's length) leave the hidden state
/// unchanged. A linear head maps the final hidden state to <c>(μ, log σ²)</c>.</para>
/// <para>Cost: one GRU cell and a handful of elementwise ops per observation index, batched over the rows.</para>
/// </remarks>
public sealed class GruEncoder : nn.Module
{
    readonly GRUCell cell;
    readonly Linear head;

    /// <summary>Creates the encoder, its weights drawn from a generator seeded by <paramref name="seed"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="observedSize">Components per observation (n).</param>
    /// <param name="hiddenSize">Width of the GRU's hidden state.</param>
    /// <param name="latentSize">Dimension of z₀ (the latent dynamics' state size).</param>
    /// <param name="seed">Seed of the initial weights (the same seed gives the same weights).</param>
    /// <param name="dtype">Floating-point type of the weights.</param>
    /// <param name="device">Device of the weights (CPU when null).</param>
    public GruEncoder(string name, int observedSize, int hiddenSize, int latentSize, long seed,
        ScalarType dtype = ScalarType.Float32, Device? device = null) : base(name)
    {
        if (observedSize < 1 || hiddenSize < 1 || latentSize < 1)
            throw new ArgumentOutOfRangeException(nameof(observedSize),
                $"Sizes must be positive: observedSize {observedSize}, hiddenSize {hiddenSize}, latentSize {latentSize}.");
        (ObservedSize, HiddenSize, LatentSize) = (observedSize, hiddenSize, latentSize);
        // GRUCell initialises from torch's global generator: Create seeds it for the constructor only.
        cell = SeededConstruction.Create(seed, 0, () => nn.GRUCell(2 * observedSize + 1, hiddenSize, device: device, dtype: dtype));
        head = SeededConstruction.CreateWithGenerator(seed, 1,
            () => LayerInitialization.Linear(hiddenSize, 2 * latentSize, dtype, device, SeededConstruction.Current));
        RegisterComponents();
    }

    /// <summary>Components per observation.</summary>
    public int ObservedSize { get; }
    /// <summary>Width of the hidden state.</summary>
    public int HiddenSize { get; }
    /// <summary>Dimension of z₀.</summary>
    public int LatentSize { get; }

    /// <summary>q(z₀) for the rows of <paramref name="batch"/> (their own times and observations).</summary>
    public Posterior Encode(IrregularBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Encode(batch.SequenceTimes, batch.SequenceValues, batch.SequenceMask, batch.Lengths, batch.Times[0]);
    }

    /// <summary>
    /// q(z₀) from per-row sequences padded at the end: <paramref name="times"/> <c>[N, batch]</c>, <paramref name="values"/>
    /// and <paramref name="mask"/> <c>[N, batch, n]</c>, row r valid for its first <c>lengths[r]</c> entries.
    /// </summary>
    /// <param name="times">Observation times, increasing within each row.</param>
    /// <param name="values">Observations (any value where the mask is 0).</param>
    /// <param name="mask">1 where a value is observed, else 0.</param>
    /// <param name="lengths">Number of valid entries per row (1 … N).</param>
    /// <param name="origin">Time of z₀ (0-d), at or before every row's first time.</param>
    public Posterior Encode(Tensor times, Tensor values, Tensor mask, IReadOnlyList<int> lengths, Tensor origin)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(origin);
        if (values.dim() != 3 || values.shape[2] != ObservedSize || !mask.shape.SequenceEqual(values.shape)
            || times.dim() != 2 || times.shape[0] != values.shape[0] || times.shape[1] != values.shape[1])
            throw new ArgumentException(
                $"Expected times [N, batch], values and mask [N, batch, {ObservedSize}], but got times [{string.Join(", ", times.shape)}], " +
                $"values [{string.Join(", ", values.shape)}], mask [{string.Join(", ", mask.shape)}].", nameof(values));
        long steps = values.shape[0], rows = values.shape[1];
        if (lengths.Count != rows || lengths.Any(l => l < 1 || l > steps))
            throw new ArgumentException($"lengths must hold {rows} values between 1 and {steps}.", nameof(lengths));

        using var scope = NewDisposeScope();
        var previous = cat([origin.reshape(1, 1).expand(1, rows).to(times.dtype), times.narrow(0, 0, steps - 1)], 0);
        var gaps = ScalarOps.Sub(times, previous, 1.0).unsqueeze(-1);                          // [N, batch, 1]
        var inputs = cat([values * mask, mask, gaps], -1).to(values.dtype);   // [N, batch, 2n + 1]
        // present[k, r] = 1 for k < lengths[r]: padded steps keep the hidden state.
        var present = tensor(Enumerable.Range(0, (int)steps)
                .SelectMany(k => lengths.Select(l => k < l ? 1.0 : 0.0)).ToArray(), [steps, rows, 1], ScalarType.Float64)
            .to(values.dtype, values.device);
        var h = zeros(rows, HiddenSize, values.dtype, values.device);
        for (long k = steps - 1; k >= 0; k--)
        {
            // h ← h + present·(GRU(x_k, h) − h); lerp with a tensor weight needs no Scalar (docs/notes/torchsharp-scalar-gc-race.md).
            h = h.lerp(cell.forward(inputs[k], h), present[k]);
        }
        var output = head.forward(h);
        return new Posterior(output.narrow(1, 0, LatentSize).MoveToOuterDisposeScope(),
            output.narrow(1, LatentSize, LatentSize).MoveToOuterDisposeScope());
    }
}

/// <summary>A diagonal Gaussian <c>N(Mean, diag exp(LogVariance))</c> over z₀, one row per trajectory (<c>[batch, d]</c> each).</summary>
/// <param name="Mean">μ.</param>
/// <param name="LogVariance">log σ².</param>
public sealed record Posterior(Tensor Mean, Tensor LogVariance) : IDisposable
{
    /// <summary>A reparameterised sample z₀ = μ + σ ⊙ ε (differentiable in μ and log σ²).</summary>
    public Tensor Sample(Generator? generator = null) => Probability.DiagonalGaussian.Sample(Mean, LogVariance, generator);

    /// <summary><c>KL(q ‖ N(0, I))</c> summed over the latent dimensions, <c>[batch]</c>.</summary>
    public Tensor KlToStandardNormal()
    {
        using var kl = Probability.DiagonalGaussian.KlToStandardNormal(Mean, LogVariance);
        return kl.sum(-1);
    }

    /// <summary>Releases both tensors.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        LogVariance.Dispose();
    }
}
