using NodeDsl.Runtime.Training;
using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HamiltonianNN;

/// <summary>Loss history of one model: full-batch training MSE after every step, test MSE every few steps.</summary>
/// <param name="Steps">Step numbers (1-based) of <see cref="TrainLoss"/>.</param>
/// <param name="TestSteps">Step numbers of <see cref="TestLoss"/>.</param>
public sealed record LossHistory(double[] Steps, double[] TrainLoss, double[] TestSteps, double[] TestLoss);

/// <summary>
/// Derivative matching (Greydanus et al. 2019, eq. 3 and §3): minimise ‖f_θ(x) − ẋ‖² over the data points, full batch,
/// Adam. No ODE is solved while training; the model's batched <c>Rates</c> is the prediction.
/// </summary>
public static class DerivativeTraining
{
    /// <summary>Trains <paramref name="model"/> in place and returns its loss history.</summary>
    public static LossHistory Fit(OdeModel model, Tensor trainX, Tensor trainDx, Tensor testX, Tensor testDx, HnnOptions options)
    {
        var optimizer = (OptimizerSettings.Adam(options.LearningRate) with { WeightDecay = options.WeightDecay }).Create(model.parameters());
        using var t0 = tensor(0.0, model.DType);
        var train = new double[options.Steps];
        var testSteps = new List<double>();
        var test = new List<double>();
        int every = System.Math.Max(1, options.Steps / 100);
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = Mse(model.Rates(t0, trainX), trainDx);
            loss.backward();
            optimizer.step();
            train[step] = loss.ToDouble();
            if (step % every == 0 || step == options.Steps - 1)
            {
                testSteps.Add(step + 1);
                test.Add(Evaluate(model, testX, testDx));
            }
        }
        return new LossHistory(Enumerable.Range(1, options.Steps).Select(i => (double)i).ToArray(), train, [.. testSteps], [.. test]);
    }

    /// <summary>The derivative MSE of <paramref name="model"/> on (<paramref name="x"/>, <paramref name="dx"/>), without a graph.</summary>
    public static double Evaluate(OdeModel model, Tensor x, Tensor dx)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Mse(model.Rates(tensor(0.0, model.DType), x), dx).ToDouble();
    }

    // Mean over points and both components, as Greydanus' L2_loss.
    static Tensor Mse(Tensor prediction, Tensor target) => prediction.sub(target).square().mean();
}
