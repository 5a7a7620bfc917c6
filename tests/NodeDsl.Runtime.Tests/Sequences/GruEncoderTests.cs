using NodeDsl.Runtime.Sequences;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Sequences;

/// <summary>The recognition GRU: shapes, independence of padding and batch-mates, masks and gradients.</summary>
public sealed class GruEncoderTests
{
    static GruEncoder Encoder(long seed = 3) => new("encoder", observedSize: 2, hiddenSize: 5, latentSize: 3, seed, ScalarType.Float64);

    [Fact]
    public void EncodesOnePosteriorPerRow()
    {
        using var scope = NewDisposeScope();
        var data = LatentTestData.Irregular(6, seed: 1);
        using var batch = IrregularBatch.Build(data, [0, 1, 2, 3, 4, 5], 0.0, ScalarType.Float64, CPU);
        var posterior = Encoder().Encode(batch);
        Assert.Equal(new long[] { 6, 3 }, posterior.Mean.shape);
        Assert.Equal(new long[] { 6, 3 }, posterior.LogVariance.shape);
        Assert.Equal(new long[] { 6 }, posterior.KlToStandardNormal().shape);
    }

    [Fact]
    public void ARowsEncodingIgnoresPaddingAndOtherRows()
    {
        using var scope = NewDisposeScope();
        var data = LatentTestData.Irregular(8, seed: 2);
        var encoder = Encoder();
        using var all = IrregularBatch.Build(data, Enumerable.Range(0, 8).ToArray(), 0.0, ScalarType.Float64, CPU);
        var together = encoder.Encode(all);
        for (int r = 0; r < 8; r++)
        {
            using var alone = IrregularBatch.Build(data, [r], 0.0, ScalarType.Float64, CPU);
            var single = encoder.Encode(alone);
            // Same float64 operations on the row's own values: padded steps leave h exactly unchanged (h + 0·(…)).
            Assert.True(allclose(single.Mean[0], together.Mean[r], rtol: 0, atol: 1e-14), $"row {r} mean");
            Assert.True(allclose(single.LogVariance[0], together.LogVariance[r], rtol: 0, atol: 1e-14), $"row {r} log-variance");
        }
    }

    [Fact]
    public void SameSeedSameWeightsAndEquallySizedParameters()
    {
        using var scope = NewDisposeScope();
        var a = Encoder(seed: 9).parameters().Select(p => p.detach().clone()).ToArray();
        var b = Encoder(seed: 9).parameters().ToArray();
        var c = Encoder(seed: 10).parameters().ToArray();
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(a[i].eq(b[i]).all().item<bool>());
        Assert.False(a[0].eq(c[0]).all().item<bool>());
        // GRU: 3 gates × (W_ih [5, 2·2+1] + W_hh [5, 5] + two biases) = 3·(25 + 25 + 10); head 5 → 2·3.
        Assert.Equal(3 * (25 + 25 + 10) + (5 * 6 + 6), a.Sum(p => p.numel()));
    }

    [Fact]
    public void GradientOfAnObservationMatchesCentralDifferencesAndMaskedValuesHaveNone()
    {
        using var scope = NewDisposeScope();
        var data = LatentTestData.Irregular(3, seed: 4);
        var encoder = Encoder();
        using var batch = IrregularBatch.Build(data, [0, 1, 2], 0.0, ScalarType.Float64, CPU);
        var values = batch.SequenceValues.clone().requires_grad_(true);
        var mask = batch.SequenceMask.clone();
        mask[0, 1, 0] = tensor(0.0);   // hide one observed value of row 1
        Tensor Output(Tensor v)
        {
            var p = encoder.Encode(batch.SequenceTimes, v, mask, batch.Lengths, batch.Times[0]);
            // A fixed linear functional of both outputs, so every parameter and entry matters.
            return (p.Mean * arange(1, 4, ScalarType.Float64)).sum() + (p.LogVariance * 0.5).sum();
        }
        var grad = autograd.grad([Output(values)], [values])[0];
        // The hidden value and the padded entries of short rows contribute nothing.
        Assert.Equal(0.0, grad[0, 1, 0].item<double>());
        for (int r = 0; r < 3; r++)
            for (long k = batch.Lengths[r]; k < values.shape[0]; k++)
                Assert.Equal(0.0, grad[k, r].abs().sum().item<double>());
        // Central differences in float64 with h = 1e-6: truncation O(h²) ≈ 1e-12, rounding ≈ 1e-16/h = 1e-10.
        const double h = 1e-6;
        foreach (var (k, r, j) in new[] { (0, 0, 0), (1, 2, 1), (0, 1, 1) })
        {
            using var noGrad = no_grad();
            var plus = values.detach().clone();
            var minus = values.detach().clone();
            plus[k, r, j] = plus[k, r, j] + h;
            minus[k, r, j] = minus[k, r, j] - h;
            double numeric = (Output(plus).item<double>() - Output(minus).item<double>()) / (2 * h);
            Assert.Equal(numeric, grad[k, r, j].item<double>(), 8);
        }
    }

    [Fact]
    public void ParametersAllReceiveGradients()
    {
        using var scope = NewDisposeScope();
        var data = LatentTestData.Irregular(4, seed: 5);
        var encoder = Encoder();
        using var batch = IrregularBatch.Build(data, [0, 1, 2, 3], 0.0, ScalarType.Float64, CPU);
        var p = encoder.Encode(batch);
        (p.Mean.square().sum() + p.LogVariance.sum()).backward();
        Assert.All(encoder.parameters(), w => Assert.True(w.grad is not null && w.grad.abs().sum().item<double>() > 0));
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        using var scope = NewDisposeScope();
        var encoder = Encoder();
        var times = zeros(4, 2, ScalarType.Float64);
        var values = zeros(4, 2, 3, ScalarType.Float64);
        Assert.Contains("[N, batch, 2]", Assert.Throws<ArgumentException>(() => encoder.Encode(times, values, values, [4, 4], tensor(0.0))).Message);
        var ok = zeros(4, 2, 2, ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => encoder.Encode(times, ok, ok, [5, 4], tensor(0.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GruEncoder("e", 0, 5, 3, 1));
    }
}
