using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests;

/// <summary>Generated <c>model.Learnables</c>: one typed property per [Learnable], reading and writing the registered parameter.</summary>
public class LearnableAccessorTests
{
    [Fact]
    public void EachLearnableReadsItsInitialValue()
    {
        using var model = new ForcedOscillator(ModelOptions.Float64());
        // float64 parameters hold the initialisers exactly.
        Assert.Equal(0.15, model.Learnables.damping);
        Assert.Equal(0.5, model.Learnables.amplitude);
    }

    [Fact]
    public void ReadsTheValueATrainingStepLeaves()
    {
        using var model = new LotkaVolterraUde(ModelOptions.Float64(3));
        using var y = torch.tensor(new[] { 2.0, 0.5 }, new long[] { 1, 2 }, ScalarType.Float64);
        using var t = torch.tensor(0.0, ScalarType.Float64);
        // prey' = alpha * prey + u.a, so d(prey')/d(alpha) = prey = 2 and one SGD step moves alpha by -lr * 2.
        using var optimizer = torch.optim.SGD(model.parameters(), 0.1);
        using var rates = model.Rates(t, y);
        using var preyRate = rates[0, 0];
        preyRate.backward();
        optimizer.step();
        Assert.Equal(1.3 - 0.1 * 2.0, model.Learnables.alpha, 15);   // one float64 multiply-add of rounding
    }

    [Fact]
    public void SettingALearnableWritesItsParameter()
    {
        using var model = new LotkaVolterraUde(ModelOptions.Float64(3));
        using var y = torch.tensor(new[] { 2.0, 0.5 }, new long[] { 1, 2 }, ScalarType.Float64);
        using var t = torch.tensor(0.0, ScalarType.Float64);
        using var before = model.Rates(t, y);
        model.Learnables.alpha = 2.5;
        using var after = model.Rates(t, y);

        var parameter = model.get_parameter("alpha")!;
        Assert.Equal(2.5, parameter.item<double>());
        Assert.True(parameter.requires_grad);
        // Only alpha * prey changed: by (2.5 - 1.3) * 2 in prey', nothing in predator' (float64 rounding of two sums).
        using var change = after - before;
        Assert.Equal((2.5 - 1.3) * 2.0, change[0, 0].item<double>(), 12);
        Assert.Equal(0.0, change[0, 1].item<double>());
    }

    [Fact]
    public void FollowsTheParameterWhenTheModelIsConverted()
    {
        using var model = new LotkaVolterraUde(ModelOptions.Float64());
        model.to(ScalarType.Float32);
        // The float32 copy of 1.3 is 1.3 within float32 rounding (relative 6e-8).
        Assert.Equal(1.3, model.Learnables.alpha, 1e-7);
        Assert.Equal(ScalarType.Float32, model.get_parameter("alpha")!.dtype);
    }
}
