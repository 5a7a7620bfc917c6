using NodeDsl.Runtime.Classification;
using OdeNetImages;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// examples/OdeNetImages on the bundled Fashion-MNIST sample (SampleData/, 500 + 200 images, MIT licence), which the test
/// reads through <c>--data</c> so it runs the same whether or not Debian's dataset-fashion-mnist is installed.
/// </summary>
public sealed class OdeNetImagesTests
{
    static ImageOptions Small(string dir) => ImageOptions.Quick(dir) with { DataDirectory = ImageData.SampleDirectory };

    [Fact]
    public void Fresh_networks_score_every_class_and_the_ode_blocks_share_their_weights()
    {
        using var scope = NewDisposeScope();
        using var resnet = Networks.ResNet(1, CPU);
        using var rk = Networks.RkNet(1, CPU, 1e-3);
        using var ode = Networks.OdeNet(1, CPU, 1e-3);
        var images = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(2));
        using var noGrad = no_grad();
        foreach (var net in new ImageClassifier[] { resnet, rk, ode })
        {
            var scores = net.forward(images);
            Assert.Equal([3L, 10], scores.shape);
            Assert.True(scores.isfinite().all().item<bool>(), $"{net.GetName()} gave non-finite scores");
        }
        // Equal seeds: the RK-Net and the ODE-Net start from the same weights, so they differ only in the gradient method.
        Assert.Equal(0f, (rk.forward(images) - ode.forward(images)).abs().max().item<float>());
        // Chen et al.'s Table 1 shape: the ResNet (six blocks) has more parameters than the ODE-Net (one block, reused).
        long resnetParams = Networks.ParameterCount(resnet), odeParams = Networks.ParameterCount(ode);
        Assert.Equal(odeParams, Networks.ParameterCount(rk));
        Assert.True(resnetParams > 2.5 * odeParams, $"ResNet {resnetParams} vs ODE-Net {odeParams} parameters");
    }

    [Fact]
    public void The_adjoint_gradient_matches_backprop_through_the_solver()
    {
        // Same weights, same batch: the backsolve adjoint (ODE-Net) and direct backprop (RK-Net) differ by the adjoint's
        // integration error. At rtol = atol = 1e-6 in float32 that is ~1e-4 relative; bound 1e-2 on the whole gradient.
        using var rk = Networks.RkNet(4, CPU, 1e-6);
        using var ode = Networks.OdeNet(4, CPU, 1e-6);
        var images = rand(new long[] { 4, 1, 28, 28 }, generator: new Generator(5));
        var labels = tensor(new long[] { 0, 3, 7, 9 });
        Tensor Gradient(ImageClassifier net)
        {
            nn.functional.cross_entropy(net.forward(images), labels).backward();
            return cat(net.parameters().Select(p => p.grad!.flatten()).ToArray());
        }
        var direct = Gradient(rk);
        var adjoint = Gradient(ode);
        double relative = ((adjoint - direct).norm() / direct.norm()).item<float>();
        Assert.True(relative < 1e-2, $"relative difference {relative:E2}");
        Assert.True(direct.norm().item<float>() > 1e-3, "the gradient should not vanish");
    }

    [Fact]
    public void Quick_run_learns_and_measures_the_adjoints_memory_saving()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-odenet-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = ImageExperiment.Run(Small(dir) with { TrainCount = 300, TestCount = 100, Epochs = 2 });
            Assert.True(result.IsSample);
            Assert.Equal(300, result.TrainCount);
            Assert.Equal(["ResNet", "RK-Net", "ODE-Net"], result.Runs.Select(r => r.Name));
            foreach (var run in result.Runs)
            {
                Assert.True(run.Last.TrainLoss < run.History[0].TrainLoss, $"{run.Name}: training loss {run.History[0].TrainLoss} → {run.Last.TrainLoss}");
                Assert.True(run.Test.Error < ChanceBound, $"{run.Name}: test error {run.Test.Error:P1} (chance 90%)");
            }
            var (rk, ode) = (result.Runs[1], result.Runs[2]);
            // Dopri5 costs ≥ 7 evaluations per solve; the adjoint adds a backward solve, direct backprop none.
            Assert.True(ode.Last.ForwardNfePerBatch >= 7 && ode.Last.BackwardNfePerBatch >= 7, $"ODE-Net NFE {ode.Last.ForwardNfePerBatch} + {ode.Last.BackwardNfePerBatch}");
            Assert.Equal(0, rk.Last.BackwardNfePerBatch);
            // Both keep the stem's activations (~18 MB for 50 images at 28×28); direct backprop also keeps every solver
            // stage (~2.5 MB per evaluation, ≥ 7 evaluations), the adjoint only the block's output: at least 2× in all.
            if (rk.GraphBytes is { } direct && ode.GraphBytes is { } adjoint)
                Assert.True(direct > 2 * adjoint, $"backward memory: direct {direct} B vs adjoint {adjoint} B");
            ImageReport.WriteCsv(Path.Combine(dir, "results.csv"), result);
            ImageReport.SaveCharts(dir, result);
            foreach (var file in new[] { "results.csv", "test-error.png", "confusion-odenet.png" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 0, file);
            var csv = File.ReadAllLines(Path.Combine(dir, "results.csv"));
            Assert.Contains($"ODE-Net,parameters,{ode.Parameters}", csv);
            Assert.Contains(csv, l => l.StartsWith("ODE-Net,test_accuracy,", StringComparison.Ordinal));
            Assert.Contains(csv, l => l.StartsWith("RK-Net,f1_Ankle_boot,", StringComparison.Ordinal));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    // Chance is 90% error on ten classes; on 100 test images its spread is ±3% (binomial). Measured (ResNet, 300 training
    // images, 2 epochs of 6 batches, 200 test images, on a heavily loaded machine): 82.5% after epoch 1, 76.0% after epoch 2.
    // Together with the falling training loss, a bound 5 points below chance admits a network that has started to
    // learn and refuses one whose training or gradient is broken (which stays at chance).
    const double ChanceBound = 0.85;
}
