using System.CommandLine;
using NodeDsl.Examples;

namespace OdeNetImages;

/// <summary>The example's command line (see <see cref="ExampleCommand{TOptions}"/> for the shared convention).</summary>
public static class ImageCommandLine
{
    static readonly ImageOptions Defaults = new();
    static readonly ImageOptions Quick = ImageOptions.Quick(Defaults.OutputDirectory);
    static readonly ClassifierCommandLine Training = new("images", Defaults, Quick, "Seed of the initial weights and of the batch order.");

    static readonly Option<string?> Data = ExampleOptions.Text("--data",
        $"Folder with MNIST-format IDX files (plain or .gz). Default: {ImageData.DebianDirectory} (apt install dataset-fashion-mnist), else the bundled 500 + 200 image sample.", "DIR");

    /// <summary>OdeNetImages [--quick] [--output DIR] [--data DIR] [--train N] [--test N] [--epochs N] [--batch N] [--lr RATE] [--seed S] [--threads N].</summary>
    public static ExampleCommand<ImageOptions> Command { get; } = new(
        "Chen et al.'s image ODE-Net on Fashion-MNIST: a conv stem, an ODE block whose rates are a conv network written as a " +
        "NodeDsl model, a linear head; compared with a ResNet and an RK-Net on test error, parameters, backward memory and NFE.",
        Defaults.OutputDirectory,
        $"Short run: {Quick.TrainCount} training and {Quick.TestCount} test images, {Quick.Epochs} epochs.",
        [Data, .. Training.Options],
        a => Training.Read(a, a.Quick ? Quick : Defaults) with { DataDirectory = a.Get(Data) });
}
