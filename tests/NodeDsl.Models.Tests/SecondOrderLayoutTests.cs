using NodeDsl.Models.Tests.Models;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests;

/// <summary>The first-order system a second-order model becomes: layout roles, x' = v, and latent-velocity initial states.</summary>
public class SecondOrderLayoutTests
{
    [Fact]
    public void PositionsThenObservedVelocitiesThenLatentVelocities()
    {
        var layout = new SecondOrderNode(ModelOptions.Float64(1)).Layout;
        Assert.Equal(
            [("x", 0, 2, StateKind.Position), ("z", 2, 1, StateKind.Position), ("w", 3, 1, StateKind.Velocity), ("v", 4, 2, StateKind.LatentVelocity)],
            layout.States.Select(s => (s.Name, s.Offset, s.Size, s.Kind)));
        Assert.Equal(4, layout.ObservedSize); // x, z and the observed velocity w; the latent v is not observed
    }

    [Fact]
    public void PositionRatesAreTheVelocities()
    {
        var model = new SecondOrderNode(ModelOptions.Float64(2));
        var y = randn(new long[] { 5, 6 }, float64, generator: new Generator(3));
        using var noGrad = no_grad();
        var rates = model.Rates(tensor(0.0, float64), y);
        Assert.True(rates.narrow(1, 0, 2).eq(y.narrow(1, 4, 2)).all().item<bool>(), "x' must equal the latent velocity v");
        Assert.True(rates.narrow(1, 2, 1).eq(y.narrow(1, 3, 1)).all().item<bool>(), "z' must equal its velocity w");
    }

    [Fact]
    public void VelocityFromObservationsIsExactForQuadratics()
    {
        // The estimate differentiates the quadratic through the first three points, so x(t) = 2 + 3t − 4t² on a
        // non-uniform grid gives x'(t0) = 3 − 8 t0 up to rounding.
        double[] times = [0.5, 0.6, 0.8, 1.0];
        var xs = times.Select(t => 2 + 3 * t - 4 * t * t).ToArray();
        var positions = tensor(xs, new long[] { 1, 4, 1 }, float64);
        var v0 = InitialVelocity.FromObservations(positions, times).item<double>();
        Assert.Equal(3 - 8 * 0.5, v0, 10);
    }

    [Fact]
    public void InitialStatePutsLatentVelocitiesInTheirColumns()
    {
        var model = new SecondOrderNode(ModelOptions.Float64(4));
        var observed = tensor(new double[,] { { 1, 2, 3, 4 } }, float64);
        var y0 = InitialVelocity.State(model, observed, tensor(new double[,] { { 5, 6 } }, float64));
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, y0.data<double>().ToArray());
        var encoder = new VelocityEncoder(model, observations: 3, hiddenSizes: [8], seed: 1);
        var encoded = encoder.forward(randn(new long[] { 7, 5, 4 }, float64, generator: new Generator(2)));
        Assert.Equal(new long[] { 7, 2 }, encoded.shape);
        Assert.Throws<ArgumentException>(() => InitialVelocity.State(model, observed, tensor(new double[,] { { 5 } }, float64)));
    }
}
