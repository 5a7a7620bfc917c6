namespace NodeDsl.Runtime;

/// <summary>
/// Relative and absolute tolerances of an adaptive solve: the error estimate of a step is divided by
/// <c>atol + rtol·max(|y0|, |y1|)</c> and its RMS norm compared with 1 (Hairer, Nørsett &amp; Wanner I, II.4).
/// Per-component values, when given, replace the scalar ones.
/// </summary>
/// <param name="Relative">rtol.</param>
/// <param name="Absolute">atol.</param>
/// <param name="RelativePerComponent">One rtol per state component, or null.</param>
/// <param name="AbsolutePerComponent">One atol per state component, or null.</param>
public sealed record ErrorTolerance(double Relative, double Absolute, double[]? RelativePerComponent = null, double[]? AbsolutePerComponent = null)
{
    /// <summary>rtol 1e-6, atol 1e-8: the defaults of <see cref="SolverOptions"/>.</summary>
    public static ErrorTolerance Default { get; } = new(1e-6, 1e-8);

    /// <summary>The largest rtol over the components.</summary>
    public double LargestRelative => RelativePerComponent?.Max() ?? Relative;

    /// <summary>The largest atol over the components.</summary>
    public double LargestAbsolute => AbsolutePerComponent?.Max() ?? Absolute;

    /// <summary>The smallest rtol over the components.</summary>
    public double SmallestRelative => RelativePerComponent?.Min() ?? Relative;
}
