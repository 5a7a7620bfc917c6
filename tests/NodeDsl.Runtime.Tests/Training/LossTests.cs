using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

public class LossTests
{
    [Fact]
    public void MaskedLossesEqualHandComputation()
    {
        using var scope = NewDisposeScope();
        var prediction = tensor(new double[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
        var target = tensor(new double[] { 0, 2, double.NaN, 1, 5, 9 }, [3, 2]);
        var mask = tensor(new[] { true, true, false, true, true, false }, [3, 2]);
        // Scored differences: 1, 0, 3, 0 → MSE (1 + 0 + 9 + 0) / 4, L1 (1 + 0 + 3 + 0) / 4.
        Assert.Equal(2.5, Losses.Mse(prediction, target, mask).item<double>(), 15);
        Assert.Equal(1.0, Losses.L1(prediction, target, mask).item<double>(), 15);

        var full = tensor(new double[] { 0, 2, 1, 1, 5, 9 }, [3, 2]);
        Assert.Equal((1 + 0 + 4 + 9 + 0 + 9) / 6.0, Losses.Mse(prediction, full).item<double>(), 15);
        Assert.Equal((1 + 0 + 2 + 3 + 0 + 3) / 6.0, Losses.L1(prediction, full).item<double>(), 15);
    }

    [Fact]
    public void UnscoredNaNTargetsLeaveGradientsFinite()
    {
        using var scope = NewDisposeScope();
        var prediction = tensor(new double[] { 1, 2 }, requires_grad: true);
        var target = tensor(new double[] { double.NaN, 1 });
        var mask = tensor(new[] { false, true });
        Losses.Mse(prediction, target, mask).backward();
        Assert.Equal([0.0, 2.0], prediction.grad!.data<double>().ToArray());   // d/dp (p − 1)² = 2 at p = 2
        Assert.Equal(0.0, Losses.Mse(prediction, target, tensor(new[] { false, false })).item<double>());
    }
}
