using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Models.Tests.Oracle;

/// <summary>Compares a model's batched tensor rates with its own scalar C# rates at random points.</summary>
internal static class OracleCheck
{
    /// <summary>
    /// Tolerance of the oracle comparison. Both sides run in float64 and evaluate the same formula; they differ only in
    /// rounding (libtorch's blocked matmul sums in another order than the scalar loop, pow(x, 3) is x·x·x versus a
    /// correctly rounded Math.Pow, …), a few ulps per op, i.e. ~1e-15 relative for these small models. 1e-12 leaves three
    /// orders of magnitude of headroom while still catching any real formula or slicing error. Values near zero are
    /// compared absolutely (denominator floored at 1), where relative error is meaningless.
    /// </summary>
    public const double Tolerance = 1e-12;

    public static double RelativeError(double actual, double expected)
        => System.Math.Abs(actual - expected) / System.Math.Max(1.0, System.Math.Abs(expected));

    /// <summary>Samples <paramref name="points"/> random states, times and inputs and asserts agreement.</summary>
    /// <param name="perRowTime">Pass t as <c>[batch, 1]</c> (per-row times) rather than one 0-d time.</param>
    public static double AssertAgrees(OdeModel model, int points, int seed, double scale = 1.5, bool perRowTime = true)
    {
        var rng = new Random(seed);
        int n = model.Layout.StateSize, k = model.Layout.InputSize;
        var y = Sample(rng, points * n, scale);
        var t = Sample(rng, perRowTime ? points : 1, 3.0);
        var inputs = Sample(rng, points * k, 1.0);
        using var scope = NewDisposeScope();
        var yTensor = torch.tensor(y, new long[] { points, n }, ScalarType.Float64);
        var tTensor = perRowTime ? torch.tensor(t, new long[] { points, 1 }, ScalarType.Float64) : torch.tensor(t[0], ScalarType.Float64);
        model.Inputs = k > 0 ? torch.tensor(inputs, new long[] { points, k }, ScalarType.Float64) : null;
        double[] batched;
        using (torch.no_grad())
        {
            var rates = model.Rates(tTensor, yTensor);
            Assert.Equal(new long[] { points, n }, rates.shape);
            batched = rates.contiguous().data<double>().ToArray();
        }
        double worst = 0;
        for (int i = 0; i < points; i++)
        {
            var row = y.AsSpan(i * n, n).ToArray();
            var input = k > 0 ? inputs.AsSpan(i * k, k).ToArray() : null;
            var expected = model.ScalarRates(perRowTime ? t[i] : t[0], row, input);
            for (int j = 0; j < n; j++)
            {
                var error = RelativeError(batched[i * n + j], expected[j]);
                worst = System.Math.Max(worst, error);
                Assert.True(error <= Tolerance,
                    $"{model.GetName()} row {i}, component {model.Layout.ComponentNames[j]}: tensor {batched[i * n + j]:R} vs scalar {expected[j]:R} (relative error {error:E2})");
            }
        }
        model.Inputs = null;
        return worst;
    }

    static double[] Sample(Random rng, int count, double scale)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = scale * (2 * rng.NextDouble() - 1);
        return values;
    }
}
