using NodeDsl.Runtime.Plotting;
using NodeDsl.Runtime.Training;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Training;

public class TrainingChartsTests
{
    [Fact]
    public void WritesTheFourTrainingCharts()
    {
        var folder = Directory.CreateTempSubdirectory("nodedsl-charts-").FullName;
        try
        {
            var data = LinearData.Dataset();
            var model = new LinearRates(LinearData.TrueA);
            var trainer = new Trainer(model, LinearTrainingTests.Options(epochs: 2, step: 10.0 / 39) with { });
            var result = trainer.Fit(data, validation: data);
            var prediction = trainer.Predict(data, 0);
            var times = data.Trajectories[0].Times;

            var paths = new[] { "trajectories.png", "phase.png", "loss.png", "field.png" }.Select(f => Path.Combine(folder, f)).ToArray();
            TrainingCharts.SaveTrajectories(paths[0], data, 0, times, prediction);
            TrainingCharts.SavePhasePortrait(paths[1], data, 0, prediction);
            TrainingCharts.SaveLossCurves(paths[2], result.History);
            TrainingCharts.SaveVectorFieldComparison(paths[3], model, new LinearRates(LinearData.TrueA), 2, (-1, 1), (-1, 1),
                ScalarType.Float64, CPU, [new Series("model", Column(prediction, 0), Column(prediction, 1))]);
            foreach (var p in paths) Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(p)[..4]);

            // The grid evaluator returns the rates of the chosen components: A·(x, y) for the true matrix.
            var (u, v) = TrainingCharts.FieldOf(new LinearRates(LinearData.TrueA), 2, 0, 1, ScalarType.Float64, CPU)([1.0], [2.0]);
            Assert.Equal(-0.1 * 1 - 1.0 * 2, u[0], 12);
            Assert.Equal(1.0 * 1 - 0.1 * 2, v[0], 12);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    static double[] Column(double[,] values, int j) => Enumerable.Range(0, values.GetLength(0)).Select(i => values[i, j]).ToArray();
}
