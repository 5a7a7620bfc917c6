using NodeDsl.Runtime;
using static TorchSharp.torch;

namespace MyModel.Tests;

public class OscillatorTests
{
    [Fact]
    public void TensorRatesMatchTheModelsOwnCSharp()
    {
        // The generated batched TorchSharp rates against the model's Rhs() run as plain C# (ScalarRates), row by row.
        var model = new Oscillator(ModelOptions.Float64(seed: 3));
        double[][] states = [[1.0, 0.0], [-0.4, 2.0], [0.3, -1.2]];
        using var y = tensor(states.SelectMany(s => s).ToArray(), states.Length, 2, dtype: float64);
        using var t = tensor(0.0, dtype: float64);
        using var rates = model.Rates(t, y);
        for (int row = 0; row < states.Length; row++)
        {
            var expected = model.ScalarRates(0.0, states[row]);
            for (int j = 0; j < 2; j++)
                // Same operations in float64, possibly in another order: rounding differences of a few ulps only.
                Assert.Equal(expected[j], rates[row, j].item<double>(), 1e-12);
        }
    }

    [Fact]
    public void TrainingLowersTheLoss()
    {
        var model = new Oscillator(ModelOptions.Float64(seed: 1));
        var (before, after, _) = OscillatorTraining.Fit(model, OscillatorTraining.Data(), epochs: 30);
        // From ω = 1.5 and an untrained damping net the trajectories are off by their amplitude; 30 Adam steps
        // move ω toward 2 and at least halve the mean squared error.
        Assert.True(after < before / 2, $"loss {before} -> {after}");
    }
}
