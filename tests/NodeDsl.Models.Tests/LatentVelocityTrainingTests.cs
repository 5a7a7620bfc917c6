using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using NodeDsl.Runtime.Data;
using NodeDsl.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests;

/// <summary>
/// Latent velocities in training: the Trainer starts them from a three-point finite difference of each window's first
/// observations, or from a <see cref="VelocityEncoder"/> whose parameters train with the model's.
/// </summary>
public class LatentVelocityTrainingTests
{
    const double Omega = 1.3, X0 = 1.0, V0 = 0.5;   // the model's k = 1.69 = ω²

    // Exact positions x(t) = X0 cos ωt + (V0/ω) sin ωt on t = 0, h, …, 10h.
    static TrajectoryDataset Oscillator(double h, int count = 11)
    {
        var times = Enumerable.Range(0, count).Select(i => i * h).ToArray();
        var values = new double[count, 1];
        for (int i = 0; i < count; i++) values[i, 0] = X0 * Math.Cos(Omega * times[i]) + V0 / Omega * Math.Sin(Omega * times[i]);
        return TrajectoryDataset.Single(times, values, ["x"]);
    }

    static TrainerOptions Accurate => new()
    {
        Solver = Solvers.Dopri5, SolverOptions = new SolverOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-12 },
    };

    // The error of the estimated x'(0), read from the prediction: with the true k, x̂(t) − x(t) = (v̂₀ − v₀) sin(ωt)/ω,
    // so at t = π/(2ω) the position error is (v̂₀ − v₀)/ω.
    static double VelocityError(double h)
    {
        var model = new LatentOscillator(ModelOptions.Float64(1));
        var data = Oscillator(h);
        double quarter = Math.PI / (2 * Omega);
        var predicted = new Trainer(model, Accurate).Predict(data, 0, [0.0, quarter]);
        double truth = V0 / Omega;   // x(π/2ω) = X0 cos(π/2) + (V0/ω) sin(π/2)
        return (predicted[1, 0] - truth) * Omega;
    }

    [Fact]
    public void DataInitialisedVelocityIsSecondOrderAccurate()
    {
        // (−3x₀ + 4x₁ − x₂)/(2h) = x'(0) − (h²/3) x'''(0) + O(h³), and x''' = −ω² x' here, so the error is h²ω²v₀/3.
        double coarse = VelocityError(0.02), fine = VelocityError(0.01);
        double leading = 0.02 * 0.02 * Omega * Omega * V0 / 3;   // 1.13e-4
        // The next term, −(h³/4) x''''(0) = −h³ω⁴x₀/4 ≈ 5.7e-6 at h = 0.02, is 5 % of the leading one; the solve's error
        // (tolerance 1e-12) is far below both. So: within 8 % of the leading term, and halving h divides the error by 4 ± 10 %.
        Assert.InRange(coarse / leading, 0.92, 1.08);
        Assert.InRange(coarse / fine, 3.6, 4.4);
    }

    [Fact]
    public void EncoderParametersTrainWithTheModel()
    {
        // One plain SGD step on one batch of whole trajectories moves each parameter by −lr·∂L/∂θ, so the step recovers the
        // gradient the trainer used; it must equal the central finite difference of the same loss (Trainer.Evaluate).
        var model = new LatentOscillator(ModelOptions.Float64(2));
        var encoder = new VelocityEncoder(model, observations: 3, hiddenSizes: [6], seed: 3);
        var data = Oscillator(0.1, 15);
        const double rate = 1e-3;
        var options = Accurate with
        {
            Epochs = 1, Optimizer = OptimizerSettings.Sgd(rate), VelocityEncoder = encoder, Runaway = null,
            Sampler = new WholeTrajectorySampler { Shuffle = false },
        };
        var trainer = new Trainer(model, options);
        var weight = encoder.parameters().First();
        double before = weight.data<double>()[0];
        double Loss(double w)
        {
            using (no_grad()) weight.view(-1)[0].fill_(w);
            return trainer.Evaluate(data);
        }
        const double eps = 1e-6;
        double finiteDifference = (Loss(before + eps) - Loss(before - eps)) / (2 * eps);
        Loss(before);
        trainer.Fit(data);
        double step = (before - weight.data<double>()[0]) / rate;
        Assert.True(Math.Abs(finiteDifference) > 1e-4, $"the loss must depend on the encoder's weight (∂L/∂w = {finiteDifference:E3})");
        // Central differences in float64 with ε = 1e-6: truncation O(ε²) and rounding ~1e-16/ε ≈ 1e-10 relative.
        Assert.Equal(finiteDifference, step, Math.Abs(finiteDifference) * 1e-6);
    }

    [Fact]
    public void WindowsTooShortForTheEstimateAreRefusedWithTheRemedy()
    {
        var model = new LatentOscillator(ModelOptions.Float64(4));
        var options = Accurate with { Epochs = 1, Sampler = new WindowSampler { MinPoints = 2, MaxPoints = 2, BatchSize = 2 } };
        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(model, options).Fit(Oscillator(0.1)));
        Assert.Contains("three-point finite difference", error.Message);
        Assert.Contains("InitialState", error.Message);
    }

    [Fact]
    public void AnEncoderForAModelWithoutLatentVelocitiesIsRefused()
    {
        var latent = new LatentOscillator(ModelOptions.Float64(5));
        var encoder = new VelocityEncoder(latent, observations: 2, hiddenSizes: [4]);
        var observed = new DrivenOscillator(ModelOptions.Float64(6));
        var error = Assert.Throws<ArgumentException>(() => new Trainer(observed, Accurate with { VelocityEncoder = encoder }));
        Assert.Contains("has none", error.Message);
    }
}
