using NodeDsl.Runtime.Training;

namespace NodeDsl.Runtime.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void StopsAfterPatienceAndRestoresTheBestWeights()
    {
        var data = LinearData.Dataset();
        var model = new LinearRates(new double[,] { { 0, 0 }, { 0, 0 } });
        double[]? afterFirstEpoch = null;
        var options = LinearTrainingTests.Options(epochs: 20, step: 10.0 / 39) with
        {
            // MinDelta larger than any loss: only the first epoch counts as an improvement.
            EarlyStopping = new EarlyStopping { Patience = 2, MinDelta = 1e9, RestoreBestWeights = true },
            Callbacks = [c => { if (c.Metrics.Epoch == 0) afterFirstEpoch = model.Values(); }],
        };
        var result = new Trainer(model, options).Fit(data, validation: data);

        Assert.Equal(StopReason.EarlyStopping, result.Reason);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(0, result.BestEpoch);
        Assert.All(result.History, m => Assert.NotNull(m.ValidationLoss));
        Assert.Equal(afterFirstEpoch, model.Values());
    }

    [Fact]
    public void CallbackCanStopAndMetricsCsvIsWritten()
    {
        var folder = Directory.CreateTempSubdirectory("nodedsl-metrics-").FullName;
        try
        {
            var csv = Path.Combine(folder, "metrics.csv");
            var options = LinearTrainingTests.Options(epochs: 20, step: 10.0 / 39) with
            {
                MetricsCsvPath = csv,
                Callbacks = [c => { if (c.History.Count == 2) c.RequestStop("enough"); }],
            };
            var result = new Trainer(new LinearRates(new double[2, 2]), options).Fit(LinearData.Dataset());
            Assert.Equal(StopReason.Callback, result.Reason);
            Assert.Contains("enough", result.Message);
            var lines = File.ReadAllLines(csv);
            Assert.Equal("epoch,loss,validation_loss,regularization,learning_rate,nfe_forward,nfe_backward,seconds", lines[0]);
            Assert.Equal(3, lines.Length);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void ValidatesEveryNthEpochAndAfterTheLast()
    {
        var data = LinearData.Dataset();
        var options = LinearTrainingTests.Options(epochs: 5, step: 10.0 / 39) with { ValidateEvery = 2 };
        var result = new Trainer(new LinearRates(new double[2, 2]), options).Fit(data, validation: data);
        Assert.Equal([false, true, false, true, true], result.History.Select(m => m.ValidationLoss is not null));
    }
}
