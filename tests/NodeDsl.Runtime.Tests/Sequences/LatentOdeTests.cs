using NodeDsl.Runtime.Sequences;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Sequences;

/// <summary>The latent ODE's composition: one solve per batch, the ELBO's pieces, prediction and prior samples.</summary>
public sealed class LatentOdeTests
{
    static LatentOde Model(out TanhLatent dynamics, out nn.Module<Tensor, Tensor> decoder)
    {
        var encoder = new GruEncoder("encoder", 2, 6, 3, seed: 1, ScalarType.Float64);
        dynamics = new TanhLatent(seed: 2);
        decoder = SeededConstruction.CreateWithGenerator(3, 0,
            () => new Mlp("decoder", 3, [8], 2, Activation.Tanh, ScalarType.Float64));
        return new LatentOde("latent-ode", encoder, dynamics, decoder,
            new LatentOdeSettings { SolverOptions = new SolverOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 }, ObservationStd = 0.5 });
    }

    [Fact]
    public void ElboScoresTheDecodedSolveAndTrainsEveryPart()
    {
        using var scope = NewDisposeScope();
        var model = Model(out var dynamics, out var decoder);
        var data = LatentTestData.Irregular(5, seed: 6);
        using var batch = IrregularBatch.Build(data, [0, 1, 2, 3, 4], 0.0, ScalarType.Float64, CPU);
        using var g1 = new Generator(7, CPU);
        using var output = model.Elbo(batch, g1);
        Assert.Equal(batch.Values.shape, output.Prediction.shape);
        Assert.True(output.ForwardEvaluations >= 7, $"NFE {output.ForwardEvaluations}");

        // The same z₀ (same noise), solved and decoded by hand, gives the same prediction and terms.
        using var g2 = new Generator(7, CPU);
        using (no_grad())
        {
            var z0 = output.Posterior.Sample(g2);
            var ys = Ode.Solve(dynamics, z0, batch.Times, NodeDsl.Runtime.Solvers.Dopri5, model.Settings.SolverOptions).Ys;
            var expected = decoder.forward(ys);
            Assert.True(allclose(expected, output.Prediction, rtol: 0, atol: 1e-12));
            var ll = GaussianElbo.MaskedLogLikelihood(expected, batch.Values, batch.Mask, 0.5);
            Assert.True(allclose(ll, output.Terms.LogLikelihood, rtol: 0, atol: 1e-10));
        }

        output.Terms.NegativeElbo().backward();
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<double>() > 0, $"no gradient for {name}");
    }

    [Fact]
    public void PredictionStartsAtTheDecodedPosteriorMeanAndExtrapolates()
    {
        using var scope = NewDisposeScope();
        var model = Model(out _, out var decoder);
        var data = LatentTestData.Irregular(4, seed: 8);
        using var batch = IrregularBatch.Build(data, [0, 1, 2, 3], 0.0, ScalarType.Float64, CPU);
        using var noGrad = no_grad();
        var times = linspace(0, 4, 9, ScalarType.Float64);   // past the last observation (≤ 2)
        var prediction = model.Predict(batch, times);
        Assert.Equal(new long[] { 9, 4, 2 }, prediction.shape);
        var mean = model.Encoder.Encode(batch).Mean;
        // At the origin the solve returns z₀ itself.
        Assert.True(allclose(decoder.forward(mean), prediction[0], rtol: 0, atol: 1e-14));

        using var g = new Generator(11, CPU);
        var samples = model.SampleFromPrior(7, times, g);
        Assert.Equal(new long[] { 9, 7, 2 }, samples.shape);
        Assert.True(samples.isfinite().all().item<bool>());
    }

    [Fact]
    public void MismatchedPartsAreRejected()
    {
        using var scope = NewDisposeScope();
        var encoder = new GruEncoder("encoder", 2, 6, 4, seed: 1, ScalarType.Float64);
        var decoder = new Mlp("decoder", 4, [8], 2, Activation.Tanh, ScalarType.Float64);
        var error = Assert.Throws<ArgumentException>(() => new LatentOde("m", encoder, new TanhLatent(), decoder));
        Assert.Contains("latentSize", error.Message);

        var model = Model(out _, out _);
        var data = LatentTestData.Irregular(2, seed: 1);
        using var single = IrregularBatch.Build(data, [0, 1], 0.0, ScalarType.Float32, CPU);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => model.Elbo(single)).Message);
    }
}
