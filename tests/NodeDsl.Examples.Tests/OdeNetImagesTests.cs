using NodeDsl.Runtime;
using NodeDsl.Examples.Tests.Docs;
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
    public void FreshNetworksScoreEveryClassAndTheOdeBlocksShareTheirWeights()
    {
        using var scope = NewDisposeScope();
        using var resnet = Networks.ResNet(1, CPU);
        using var rk = Networks.RkNet(1, CPU, 1e-3);
        using var ode = Networks.OdeNet(1, CPU, 1e-3);
        var images = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(2));
        using var noGrad = no_grad();
        foreach (var net in new ConvClassifier[] { resnet, rk, ode })
        {
            var scores = net.forward(images);
            Assert.Equal([3L, 10], scores.shape);
            Assert.True(scores.isfinite().all().item<bool>(), $"{net.GetName()} gave non-finite scores");
        }
        // Equal seeds: the RK-Net and the ODE-Net start from the same weights, so they differ only in the gradient method.
        Assert.Equal(0f, (rk.forward(images) - ode.forward(images)).abs().max().item<float>());
        // Chen et al.'s Table 1 shape: the ResNet (six blocks) has more parameters than the ODE-Net (one block, reused).
        long resnetParams = ClassifierNetworks.ParameterCount(resnet), odeParams = ClassifierNetworks.ParameterCount(ode);
        Assert.Equal(odeParams, ClassifierNetworks.ParameterCount(rk));
        Assert.True(resnetParams > 2.5 * odeParams, $"ResNet {resnetParams} vs ODE-Net {odeParams} parameters");
    }

    [Fact]
    public void TheDocsBuilderSnippetBuildsTheExamplesNetworks()
    {
        using var scope = NewDisposeScope();
        #region snippet: classifier-networks
        var shape = new ConvClassifierOptions { Dimensions = 2, Channels = 32, Classes = 10 };
        var resnet = ClassifierNetworks.ResNet("ResNet", shape, seed: 1, CPU);
        OdeBlockOptions Block(GradientMethod g) => new() { SolverOptions = new() { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3 }, Gradient = g };
        var rkNet  = ClassifierNetworks.OdeNet("RK-Net",  shape, o => new FeatureFlow(o), Block(GradientMethod.Direct), seed: 1, CPU);
        var odeNet = ClassifierNetworks.OdeNet("ODE-Net", shape, o => new FeatureFlow(o), Block(GradientMethod.Checkpointed()), seed: 1, CPU);
        #endregion
        DocSnippets.AssertSame("docs/odenet-images.md", "tests/NodeDsl.Examples.Tests/OdeNetImagesTests.cs", "classifier-networks");
        // The page's code builds what the example builds: the same layers with the same initial weights.
        using var exampleResNet = Networks.ResNet(1, CPU);
        using var exampleOdeNet = Networks.OdeNet(1, CPU, 1e-3);
        foreach (var (built, example) in new[] { (resnet, exampleResNet), (rkNet, exampleOdeNet), (odeNet, exampleOdeNet) })
        {
            var a = built.named_parameters().ToArray();
            var b = example.named_parameters().ToArray();
            Assert.Equal(b.Select(p => p.name), a.Select(p => p.name));
            Assert.All(a.Zip(b), p => Assert.Equal(0f, (p.First.parameter - p.Second.parameter).abs().max().item<float>()));
        }
        Assert.Equal(GradientMethod.Direct, ((OdeBlock)rkNet.Middle).Options.Gradient);
    }

    [Fact]
    public void QuickRunStepsDownhillCountsNfeMeasuresMemoryAndWritesItsResults()
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
            // Dopri5 costs ≥ 7 evaluations per solve; the checkpointed adjoint replays the logged steps in the backward
            // pass (one evaluation per stage again), direct backprop evaluates nothing there.
            Assert.True(ode.Last.ForwardNfePerBatch >= 7 && ode.Last.BackwardNfePerBatch >= 7, $"ODE-Net NFE {ode.Last.ForwardNfePerBatch} + {ode.Last.BackwardNfePerBatch}");
            Assert.Equal(0, rk.Last.BackwardNfePerBatch);
            // Both keep the stem's activations (~18 MB for 50 images at 28×28); direct backprop also keeps every solver
            // stage (~2.5 MB per evaluation, ≥ 7 evaluations), the checkpointed adjoint only its checkpoints (√N states
            // of 0.3 MB) until backward: at least 2× in all.
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
