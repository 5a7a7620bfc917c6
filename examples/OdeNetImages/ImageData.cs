using NodeDsl.Runtime.Classification;
using NodeDsl.Runtime.Data;

namespace OdeNetImages;

/// <summary>Where the example finds Fashion-MNIST: <c>--data DIR</c>, else Debian's package, else the bundled sample.</summary>
public static class ImageData
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the four gzipped IDX files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The 500 + 200 images copied next to the example (SampleData/, see its README.md).</summary>
    public static string SampleDirectory => Path.Combine(AppContext.BaseDirectory, "SampleData");

    /// <summary>
    /// The folder to read: <paramref name="requested"/> when given (it must hold the four files), else
    /// <see cref="DebianDirectory"/> when installed, else <see cref="SampleDirectory"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The requested folder does not hold an MNIST-format data set.</exception>
    public static (string Directory, bool IsSample) Locate(string? requested)
    {
        if (requested is not null)
        {
            if (!MnistFiles.Contains(requested))
                throw new DirectoryNotFoundException(
                    $"--data '{requested}' does not hold train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and " +
                    $"t10k-labels-idx1-ubyte (each optionally .gz). Install Fashion-MNIST with 'sudo apt install dataset-fashion-mnist' " +
                    $"(files in {DebianDirectory}) or point --data at a folder with MNIST's four files.");
            return (Path.GetFullPath(requested), Path.GetFullPath(requested) == Path.GetFullPath(SampleDirectory));
        }
        if (MnistFiles.Contains(DebianDirectory)) return (DebianDirectory, false);
        return (SampleDirectory, true);
    }
}
