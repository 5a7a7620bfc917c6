using System.Globalization;

namespace NodeDsl.Runtime;

/// <summary>
/// The value rules of numeric options (solver, step-controller, adjoint and checkpoint options, and the solver settings
/// of a weight file). Each rule returns null when the value is allowed, else what is wrong with it ("is NaN, but must
/// be …"), so that every caller can throw its own exception naming its own field. A value these rules reject would
/// otherwise spin the step loop (NaN compares false everywhere) or fail much later with a misleading message.
/// </summary>
internal static class OptionRules
{
    /// <summary>rtol/atol: finite and ≥ 0 (0 is allowed as long as the other one is positive).</summary>
    public static string? Tolerance(double value) => FiniteNonNegative(value);

    /// <summary>A weight, penalty or margin: finite and ≥ 0.</summary>
    public static string? FiniteNonNegative(double value)
        => double.IsFinite(value) && value >= 0 ? null : $"is {Show(value)}, but must be a finite number ≥ 0";

    /// <summary>A rate or scale: finite and &gt; 0.</summary>
    public static string? FinitePositive(double value)
        => double.IsFinite(value) && value > 0 ? null : $"is {Show(value)}, but must be a finite number > 0";

    /// <summary>A decay factor of a running average (Adam's β): in [0, 1).</summary>
    public static string? DecayFactor(double value)
        => value >= 0 && value < 1 ? null : $"is {Show(value)}, but must lie in [0, 1)";

    /// <summary>A step length (fixed step, first step): finite and &gt; 0; the sign follows the time direction.</summary>
    public static string? StepLength(double value)
        => double.IsFinite(value) && value > 0 ? null : $"is {Show(value)}, but must be a finite number > 0 (the sign follows the direction of the output times)";

    /// <summary>A step-length bound: &gt; 0, +∞ for none.</summary>
    public static string? StepBound(double value)
        => value > 0 ? null : $"is {Show(value)}, but must be > 0 (double.PositiveInfinity for no limit)";

    /// <summary>The controller's safety factor: in (0, 1].</summary>
    public static string? Safety(double value)
        => value > 0 && value <= 1 ? null : $"is {Show(value)}, but must lie in (0, 1] (typically 0.8–0.9)";

    /// <summary>The smallest step-shrink factor: in (0, 1), or a rejected step would never get shorter.</summary>
    public static string? ShrinkFactor(double value)
        => value > 0 && value < 1 ? null : $"is {Show(value)}, but must lie in (0, 1) so that a rejected step gets shorter (typically 0.2)";

    /// <summary>The largest step-growth factor: finite and ≥ 1, or accepted steps could only shrink.</summary>
    public static string? GrowthFactor(double value)
        => double.IsFinite(value) && value >= 1 ? null : $"is {Show(value)}, but must be a finite number ≥ 1 so that steps can grow again (typically 5–10)";

    /// <summary>A controller coefficient: finite.</summary>
    public static string? Finite(double value) => double.IsFinite(value) ? null : $"is {Show(value)}, but must be finite";

    /// <summary>A count with a lower bound.</summary>
    public static string? AtLeast(long value, long minimum) => value >= minimum ? null : $"is {value}, but must be at least {minimum}";

    /// <summary>Throws an <see cref="OdeArgumentException"/> "<paramref name="option"/> <paramref name="problem"/>." when there is a problem.</summary>
    public static void Require(string? problem, string option, string? remedy = null)
    {
        if (problem is not null) throw new OdeArgumentException($"{option} {problem}.{(remedy is null ? "" : " " + remedy)}", option);
    }

    /// <summary><paramref name="value"/> after <see cref="Require"/>: for init accessors that validate as they are set.</summary>
    public static double Checked(double value, string? problem, string option)
    {
        Require(problem, option);
        return value;
    }

    /// <summary>A double as it would be typed back: round-trip, invariant culture.</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
