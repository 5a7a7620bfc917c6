using static TorchSharp.torch;

using NodeDsl.Runtime.Data;

namespace NodeDsl.Runtime.Classification;

/// <summary>The two parts of an MNIST-format data set.</summary>
public enum MnistSplit
{
    /// <summary><c>train-images-idx3-ubyte</c> / <c>train-labels-idx1-ubyte</c> (60 000 images).</summary>
    Train,
    /// <summary><c>t10k-images-idx3-ubyte</c> / <c>t10k-labels-idx1-ubyte</c> (10 000 images).</summary>
    Test,
}

/// <summary>
/// Loads a folder in the layout of MNIST and Fashion-MNIST (four IDX files, plain or <c>.gz</c>) as
/// <see cref="ClassificationData"/>: images <c>[N, 1, rows, cols]</c> as float32 in [0, 1] (pixel / 255) and labels.
/// </summary>
public static class MnistFiles
{
    /// <summary>The ten Fashion-MNIST classes (Xiao, Rasul &amp; Vollgraf 2017), by label.</summary>
    public static IReadOnlyList<string> FashionClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The ten MNIST digits, by label.</summary>
    public static IReadOnlyList<string> DigitClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The base file names of a split's images and labels (without <c>.gz</c>).</summary>
    public static (string Images, string Labels) FileNames(MnistSplit split) => split switch
    {
        MnistSplit.Train => ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        MnistSplit.Test => ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    /// <summary>True when <paramref name="directory"/> holds both splits (each file plain or gzipped).</summary>
    public static bool Contains(string directory)
        => Directory.Exists(directory) && new[] { MnistSplit.Train, MnistSplit.Test }.All(s =>
        {
            var (images, labels) = FileNames(s);
            return Find(directory, images) is not null && Find(directory, labels) is not null;
        });

    /// <summary>Loads the first <paramref name="limit"/> examples (all when null) of <paramref name="split"/> from <paramref name="directory"/>.</summary>
    /// <param name="classNames">Names of the labels; <see cref="FashionClassNames"/> when null.</param>
    /// <exception cref="FileNotFoundException">A file of the split is missing (the message lists the names looked for).</exception>
    /// <exception cref="InvalidDataException">The files are not MNIST-format images and labels, or their counts differ.</exception>
    public static ClassificationData Load(string directory, MnistSplit split, int? limit = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (limit is < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The number of examples must be at least 0.");
        var (imageName, labelName) = FileNames(split);
        var images = IdxFile.Read(Require(directory, imageName));
        var labels = IdxFile.Read(Require(directory, labelName));
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"'{imageName}' in '{directory}' has shape [{string.Join(", ", images.Shape)}]; MNIST images are [N, rows, cols].");
        if (labels.Shape.Length != 1 || labels.Shape[0] != images.Shape[0])
            throw new InvalidDataException($"'{labelName}' has shape [{string.Join(", ", labels.Shape)}] but the images are [{string.Join(", ", images.Shape)}]; expected one label per image.");
        var names = classNames ?? FashionClassNames;
        int n = System.Math.Min(limit ?? images.Shape[0], images.Shape[0]);
        int rows = images.Shape[1], cols = images.Shape[2];
        var pixels = new float[(long)n * rows * cols];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = images.Data[i] / 255f;
        var labelValues = labels.Data.Take(n).Select(b => (long)b).ToArray();
        var bad = labelValues.FirstOrDefault(l => l >= names.Count, -1);
        if (bad >= 0) throw new InvalidDataException($"'{labelName}' holds label {bad} but only {names.Count} class names were given.");
        return new ClassificationData(tensor(pixels, [n, 1, rows, cols]), labelValues, names);
    }

    static string Require(string directory, string baseName)
        => Find(directory, baseName) ?? throw new FileNotFoundException(
            $"'{directory}' has no '{baseName}' or '{baseName}.gz'. An MNIST-format folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, " +
            "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally gzipped).", Path.Combine(directory, baseName));

    static string? Find(string directory, string baseName)
        => new[] { baseName, baseName + ".gz" }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
}
