using NodeDsl.Runtime;
using NodeDsl.Runtime.Classification;
using OdeNetImages;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NodeDsl.Examples.Tests;

/// <summary>
/// examples/OdeNetImages on the bundled Fashion-MNIST sample (SampleData/, 500 + 200 images, MIT licence), which the test
/// reads through <c>--data</c> so it runs the same whether or not Debian's dataset-fashion-mnist is installed.
/// </summary>
public sealed class OdeNetImagesTests(ITestOutputHelper output)
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

    /// <summary>Relative difference of the ODE-Net's (backsolve adjoint) and the RK-Net's (direct backprop) full gradients, float64.</summary>
    static double AdjointVersusBackprop(double tolerance)
    {
        using var scope = NewDisposeScope();
        using var rk = Networks.RkNet(4, CPU, tolerance, ScalarType.Float64);
        using var ode = Networks.OdeNet(4, CPU, tolerance, ScalarType.Float64);
        var images = rand(new long[] { 2, 1, 28, 28 }, ScalarType.Float64, generator: new Generator(5));
        var labels = tensor(new long[] { 3, 7 });
        Tensor Gradient(ImageClassifier net)
        {
            BackwardPass.Run(nn.functional.cross_entropy(net.forward(images), labels));
            return cat(net.parameters().Select(p => p.grad!.flatten()).ToArray());
        }
        var direct = Gradient(rk);
        var adjoint = Gradient(ode);
        Assert.True(direct.norm().item<double>() > 1e-3, "the gradient should not vanish");
        return ((adjoint - direct).norm() / direct.norm()).item<double>();
    }

    [Fact(Skip = "Open defect (issue 17): on this conv block the backsolve adjoint does not converge to backprop in float64 " +
                 "(measured 7.2e-2 relative at rtol = atol = 1e-4, 2.1e-3 at 1e-8); see docs/odenet-images.md. Also ~16 min on the loaded test machine.")]
    public void The_adjoint_gradient_converges_to_backprop_through_the_solver()
    {
        // Backprop through the solver (RK-Net) is the exact gradient of the discrete solve; the backsolve adjoint
        // (ODE-Net) integrates y and its adjoint backwards, so it differs by the forward and backward solves' errors,
        // which scale with the tolerance. In float64 that difference must therefore shrink with the tolerance; a wrong
        // adjoint (a missed term, the wrong time, a stale state) would leave an O(1) gap at every tolerance.
        // An integration error in float64 would fall by ~10⁴ from 1e-4 to 1e-8; the test asks for at least 100× and
        // 1e-4 relative at 1e-8. Measured 2026-11-30 (seed 4, two images): 7.2e-2 at 1e-4, 2.1e-3 at 1e-8 — only 34×,
        // so the test is skipped as an open defect rather than loosened.
        double coarse = AdjointVersusBackprop(1e-4), fine = AdjointVersusBackprop(1e-8);
        output.WriteLine($"relative difference adjoint vs backprop, float64: {coarse:E2} at 1e-4, {fine:E2} at 1e-8");
        Assert.True(fine < 1e-4, $"relative difference at tolerance 1e-8: {fine:E2} (1e-4: {coarse:E2})");
        Assert.True(fine * 100 < coarse || fine < 1e-9, $"relative difference 1e-4 → 1e-8: {coarse:E2} → {fine:E2}");
    }

    [Fact]
    public void Quick_run_steps_downhill_counts_nfe_measures_memory_and_writes_its_results()
    {
        // The folder does not exist yet: the run must create it (it once failed here, before writing results.csv).
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-odenet-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = Small(dir);
            var result = ImageExperiment.Run(options);
            Assert.True(result.IsSample);
            Assert.Equal(options.TrainCount, result.TrainCount);
            Assert.Equal(["ResNet", "RK-Net", "ODE-Net"], result.Runs.Select(r => r.Name));
            foreach (var run in result.Runs)
            {
                // One batch per epoch, the same 50 images: epoch 2's loss is the loss after one Adam step along the
                // computed gradient. A correct gradient lowers it; a wrong one (sign, missing term) does not.
                Assert.True(run.History[1].TrainLoss < run.History[0].TrainLoss, $"{run.Name}: training loss {run.History[0].TrainLoss} → {run.History[1].TrainLoss}");
                Assert.Equal(options.TestCount, run.Test.Confusion.Total);
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
}
