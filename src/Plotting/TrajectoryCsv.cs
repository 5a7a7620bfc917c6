using System.Globalization;
using CsvHelper;

namespace NodeDsl.Runtime.Data;

/// <summary>
/// Reads and writes trajectory datasets as long-format CSV (invariant culture, comma separated, header row).
/// </summary>
/// <remarks>
/// <para>Columns: <c>trajectory</c> (id), <c>time</c>, then one column per observed state, then one column per input
/// whose header starts with <c>input:</c> (e.g. <c>input:mu</c>). One row per trajectory and time:</para>
/// <code>
/// trajectory,time,prey,predator,input:mu
/// a,0,0.44,4.63,1.5
/// a,0.1,,4.20,1.5
/// </code>
/// <para>A blank state cell is a missing observation (NaN, unscored). Inputs are constant per trajectory: blank
/// input cells are allowed but every non-blank one of a trajectory must agree. Rows of a trajectory may come in any
/// order (they are sorted by time); duplicate times are an error. Trajectories keep the order of first appearance.</para>
/// </remarks>
public static class TrajectoryCsv
{
    /// <summary>Header prefix that marks an input column.</summary>
    public const string InputPrefix = "input:";

    /// <summary>Reads a dataset from a CSV file.</summary>
    public static TrajectoryDataset Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a dataset from CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static TrajectoryDataset Read(TextReader reader, string source = "CSV")
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var csv = CsvReader.Create(reader, ReaderOptions, leaveOpen: true);
        csv.ReadHeader();
        var header = csv.Headers?.ToArray() ?? [];
        if (header.Length == 0)
            throw new InvalidDataException($"{source}: empty file, expected a header 'trajectory,time,<states...>,<input:names...>'.");
        if (header.Length < 3 || !header[0].Equals("trajectory", StringComparison.OrdinalIgnoreCase) || !header[1].Equals("time", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{source}: the header must start with 'trajectory,time' and name at least one state, but is '{string.Join(",", header)}'.");
        var columns = header.Skip(2).ToArray();
        int firstInput = Array.FindIndex(columns, c => c.StartsWith(InputPrefix, StringComparison.Ordinal));
        if (firstInput < 0) firstInput = columns.Length;
        if (columns.Skip(firstInput).Any(c => !c.StartsWith(InputPrefix, StringComparison.Ordinal)))
            throw new InvalidDataException($"{source}: state columns must come before the '{InputPrefix}' columns.");
        var stateNames = columns.Take(firstInput).ToArray();
        var inputNames = columns.Skip(firstInput).Select(c => c[InputPrefix.Length..]).ToArray();
        if (stateNames.Length == 0) throw new InvalidDataException($"{source}: no state columns.");

        var rows = new Dictionary<string, List<(double Time, double[] Values, double?[] Inputs, int Line)>>();
        var order = new List<string>();
        while (csv.Read())
        {
            int line = (int)csv.LineNumber;
            if (csv.FieldCount != header.Length)
                throw new InvalidDataException($"{source} line {line}: {csv.FieldCount} fields but the header has {header.Length}.");
            string id = csv.GetString(0);
            if (id.Length == 0) throw new InvalidDataException($"{source} line {line}: the trajectory id is blank.");
            double time = ParseRequired(csv.GetString(1), source, line, "time");
            var values = new double[stateNames.Length];
            for (int j = 0; j < values.Length; j++)
                values[j] = ParseOptional(csv.GetString(2 + j), source, line, stateNames[j]) ?? double.NaN;
            var inputs = new double?[inputNames.Length];
            for (int j = 0; j < inputs.Length; j++)
                inputs[j] = ParseOptional(csv.GetString(2 + firstInput + j), source, line, header[2 + firstInput + j]);
            if (!rows.TryGetValue(id, out var list)) { rows[id] = list = []; order.Add(id); }
            list.Add((time, values, inputs, line));
        }
        var trajectories = order.Select(id => Build(id, rows[id], inputNames, source)).ToArray();
        return new TrajectoryDataset(stateNames, inputNames, trajectories);
    }

    /// <summary>Writes a dataset as CSV; the folder is created. Missing values become blank cells.</summary>
    public static void Write(TrajectoryDataset data, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var writer = new StreamWriter(path);
        Write(data, writer);
    }

    /// <summary>Writes a dataset as CSV text.</summary>
    public static void Write(TrajectoryDataset data, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.WriteRecord(["trajectory", "time", .. data.StateNames, .. data.InputNames.Select(i => InputPrefix + i)]);
        foreach (var tr in data.Trajectories)
            for (int i = 0; i < tr.Length; i++)
            {
                var fields = new List<string> { tr.Id, Format(tr.Times[i]) };
                for (int j = 0; j < tr.ObservedSize; j++) fields.Add(double.IsNaN(tr.Values[i, j]) ? "" : Format(tr.Values[i, j]));
                fields.AddRange(tr.Inputs.Select(Format));
                csv.WriteRecord(fields.ToArray());
            }
        csv.Flush();
    }

    static readonly CsvReaderOptions ReaderOptions = CheckedCsv.ReaderOptions(hasHeader: true);

    static Trajectory Build(string id, List<(double Time, double[] Values, double?[] Inputs, int Line)> rows, string[] inputNames, string source)
    {
        rows.Sort((a, b) => a.Time.CompareTo(b.Time));
        for (int i = 1; i < rows.Count; i++)
            if (rows[i].Time == rows[i - 1].Time)
                throw new InvalidDataException($"{source} lines {rows[i - 1].Line} and {rows[i].Line}: trajectory '{id}' has time {rows[i].Time:R} twice.");
        var inputs = new double[inputNames.Length];
        for (int j = 0; j < inputs.Length; j++)
        {
            var given = rows.Where(r => r.Inputs[j] is not null).ToArray();
            if (given.Length == 0) throw new InvalidDataException($"{source}: trajectory '{id}' has no value for input '{inputNames[j]}'.");
            inputs[j] = given[0].Inputs[j]!.Value;
            var other = given.FirstOrDefault(r => r.Inputs[j]!.Value != inputs[j]);
            if (other.Inputs is not null)
                throw new InvalidDataException(
                    $"{source} line {other.Line}: input '{inputNames[j]}' of trajectory '{id}' is {other.Inputs[j]!.Value:R} but was {inputs[j]:R} on line {given[0].Line}; inputs are constant per trajectory.");
        }
        var values = new double[rows.Count, rows[0].Values.Length];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < values.GetLength(1); j++) values[i, j] = rows[i].Values[j];
        return new Trajectory(id, rows.Select(r => r.Time).ToArray(), values, null, inputs);
    }

    static double ParseRequired(string? text, string source, int line, string column)
        => ParseOptional(text, source, line, column) ?? throw new InvalidDataException($"{source} line {line}: '{column}' is blank.");

    static double? ParseOptional(string? text, string source, int line, string column)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        throw new InvalidDataException($"{source} line {line}: '{column}' = '{text}' is not a finite number.");
    }

    static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
