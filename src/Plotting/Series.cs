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
/// <param name="Color">Palette index; null takes the next colour. Give data and model of one state the same index to pair them.</param>
public sealed record Series(string Label, double[] X, double[] Y, SeriesStyle Style = SeriesStyle.Line, int? Color = null)
{
    /// <summary>Throws when the coordinate arrays differ in length.</summary>
    public void Validate()
    {
        if (X.Length != Y.Length)
            throw new ArgumentException($"Series '{Label}' has {X.Length} x values but {Y.Length} y values.");
    }
}

/// <summary>One labelled vector field of a chart.</summary>
/// <param name="Label">Legend text (empty for none).</param>
/// <param name="Field">Returns (u, v) at each (x, y) of the grid; called once with all grid points.</param>
public sealed record VectorFieldSeries(string Label, Func<double[], double[], (double[] U, double[] V)> Field);
