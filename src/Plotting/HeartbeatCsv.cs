using System.Globalization;
using CsvHelper;
using NodeDsl.Runtime.Classification;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Data;

/// <summary>
/// Reads and writes heartbeats in the layout of the public MIT-BIH arrhythmia heartbeat set (Kachuee, Fazeli &amp; Sarrafzadeh
/// 2018; <c>mitbih_train.csv</c> / <c>mitbih_test.csv</c>): no header, one beat per line, 187 samples (125 Hz, scaled to
/// [0, 1], zero-padded) and then the class label (0–4, written as a number such as <c>0.000000000000000000e+00</c>).
/// </summary>
/// <remarks>Beats load as <see cref="ClassificationData"/> with inputs <c>[N, 1, 187]</c> (one channel for 1-D convolutions).</remarks>
public static class HeartbeatCsv
{
    /// <summary>Samples per beat.</summary>
    public const int Samples = 187;

    /// <summary>The five AAMI beat classes of the set, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["N", "S", "V", "F", "Q"];

    /// <summary>Reads the first <paramref name="limit"/> beats (all when null) of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line does not hold 188 finite numbers with an integer label in 0–4 (the message names the line).</exception>
    public static ClassificationData Read(string path, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Heartbeat file '{path}' does not exist.", path);
        using var reader = new StreamReader(path);
        return Read(reader, path, limit);
    }

    /// <summary>Reads beats from CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static ClassificationData Read(TextReader reader, string source = "CSV", int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (limit is < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The number of beats must be at least 0.");
        using var csv = CsvReader.Create(reader, ReaderOptions, leaveOpen: true);
        var samples = new List<float>();
        var labels = new List<long>();
        while ((limit is null || labels.Count < limit) && csv.Read())
        {
            int line = (int)csv.LineNumber;
            if (csv.FieldCount != Samples + 1)
                throw new InvalidDataException($"{source} line {line}: {csv.FieldCount} fields, but a heartbeat line holds {Samples} samples and a label ({Samples + 1} fields).");
            for (int j = 0; j < Samples; j++) samples.Add((float)Number(csv.GetString(j), source, line, j));
            double label = Number(csv.GetString(Samples), source, line, Samples);
            if (label != Math.Round(label) || label < 0 || label >= ClassNames.Count)
                throw new InvalidDataException($"{source} line {line}: the label (last field) is {label}, but must be one of 0–{ClassNames.Count - 1} ({string.Join(", ", ClassNames)}).");
            labels.Add((long)label);
        }
        if (labels.Count == 0) throw new InvalidDataException($"{source}: no heartbeats; each line must hold {Samples} samples and a label.");
        return new ClassificationData(tensor(samples.ToArray(), [labels.Count, 1, Samples]), labels, ClassNames);
    }

    /// <summary>Writes <paramref name="data"/> (<c>[N, 1, 187]</c> or <c>[N, 187]</c>, labels 0–4) to <paramref name="path"/> in the set's layout.</summary>
    public static void Write(string path, ClassificationData data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Inputs.numel() != (long)data.Count * Samples)
            throw new ArgumentException($"Heartbeats must have {Samples} samples each, but the examples have shape [{string.Join(", ", data.ExampleShape)}].", nameof(data));
        if (data.Classes > ClassNames.Count)
            throw new ArgumentException($"The heartbeat layout has labels 0–{ClassNames.Count - 1}, but the data have {data.Classes} classes.", nameof(data));
        using var host = data.Inputs.detach().to(ScalarType.Float64, CPU).contiguous();
        var values = host.data<double>().ToArray();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(path);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        var fields = new string[Samples + 1];
        for (int i = 0; i < data.Count; i++)
        {
            for (int j = 0; j < Samples; j++) fields[j] = values[(long)i * Samples + j].ToString("R", CultureInfo.InvariantCulture);
            fields[Samples] = data.Labels[i].ToString(CultureInfo.InvariantCulture);
            csv.WriteRecord(fields);
        }
    }

    static double Number(string text, string source, int line, int field)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new InvalidDataException($"{source} line {line}, field {field + 1}: '{text}' is not a finite number.");

    static readonly CsvReaderOptions ReaderOptions = CheckedCsv.ReaderOptions(hasHeader: false);
}
