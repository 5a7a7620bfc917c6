namespace NodeDsl.Runtime.Plotting;

/// <summary>How a series is drawn.</summary>
public enum SeriesStyle
{
    /// <summary>A line without markers.</summary>
    Line,
    /// <summary>Markers without a line (e.g. observed data).</summary>
    Markers,
    /// <summary>A dashed line (e.g. a reference or truth).</summary>
    Dashed,
}

/// <summary>One labelled curve of a chart.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates, same length as <paramref name="X"/>.</param>
/// <param name="Style">How to draw it.</param>
public sealed record Series(string Label, double[] X, double[] Y, SeriesStyle Style = SeriesStyle.Line)
{
    /// <summary>Throws when the coordinate arrays differ in length.</summary>
    public void Validate()
    {
        if (X.Length != Y.Length)
            throw new ArgumentException($"Series '{Label}' has {X.Length} x values but {Y.Length} y values.");
    }
}
