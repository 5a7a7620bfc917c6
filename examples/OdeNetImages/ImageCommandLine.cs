using System.CommandLine;
using NodeDsl.Examples;

namespace OdeNetImages;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class ImageCommandLine
{
    static readonly ImageOptions Defaults = new();
    static readonly ImageOptions Quick = ImageOptions.Quick(Defaults.OutputDirectory);

    static readonly Option<string?> Data = ExampleOptions.Text("--data",
        $"Folder with MNIST-format IDX files (plain or .gz). Default: {ImageData.DebianDirectory} (apt install dataset-fashion-mnist), else the bundled 500 + 200 image sample.", "DIR");
    static readonly Option<int?> Train = ExampleOptions.Integer("--train", $"Training images used (default {Defaults.TrainCount}; --quick: {Quick.TrainCount}).");
    static readonly Option<int?> Test = ExampleOptions.Integer("--test", $"Test images used (default {Defaults.TestCount}; --quick: {Quick.TestCount}).");
    static readonly Option<int?> Epochs = ExampleOptions.Integer("--epochs", $"Passes over the training images (default {Defaults.Epochs}; --quick: {Quick.Epochs}).");
    static readonly Option<int?> Batch = ExampleOptions.Integer("--batch", $"Images per optimizer step (default {Defaults.BatchSize}; --quick: {Quick.BatchSize}).");
    static readonly Option<long?> Seed = ExampleOptions.Seed("Seed of the initial weights and of the batch order.");

    /// <summary>OdeNetImages [--quick] [--output DIR] [--data DIR] [--train N] [--test N] [--epochs N] [--batch N] [--seed S].</summary>
    public static ExampleCommand<ImageOptions> Command { get; } = new(
        "Chen et al.'s image ODE-Net on Fashion-MNIST: a conv stem, an ODE block whose rates are a conv network written as a " +
        "NodeDsl model, a linear head; compared with a ResNet and an RK-Net on test error, parameters, backward memory and NFE.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.TrainCount} training and {Quick.TestCount} test images, {Quick.Epochs} epochs.",
        [Data, Train, Test, Epochs, Batch, Seed],
        a =>
        {
            var o = (a.Quick ? Quick : Defaults) with { OutputDirectory = a.OutputDirectory };
            return o with
            {
                DataDirectory = a.Get(Data) ?? o.DataDirectory,
                TrainCount = a.Get(Train) ?? o.TrainCount,
                TestCount = a.Get(Test) ?? o.TestCount,
                Epochs = a.Get(Epochs) ?? o.Epochs,
                BatchSize = a.Get(Batch) ?? o.BatchSize,
                Seed = a.Get(Seed) ?? o.Seed,
            };
        });
}
