using System.Globalization;
using CsvHelper;

namespace NodeDsl.Runtime.Data;

/// <summary>The CSV reader settings the data readers share: they check field counts and numbers themselves, per line.</summary>
internal static class CheckedCsv
{
    /// <summary>Comma-separated, trimmed, blank lines skipped, line numbers tracked; a wrong field count or a missing field
    /// is left to the reader, whose message names the line.</summary>
    public static CsvReaderOptions ReaderOptions(bool hasHeader) => new()
    {
        HasHeader = hasHeader,
        Separator = ',',
        TrimWhitespace = true,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
        FormatProvider = CultureInfo.InvariantCulture,
    };
}
