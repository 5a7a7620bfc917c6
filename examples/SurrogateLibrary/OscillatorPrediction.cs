using NodeDsl.Runtime.Export;

namespace SurrogateLibrary;

/// <summary>A prediction of the oscillator: position and velocity at each requested time.</summary>
/// <param name="Times">The output times.</param>
/// <param name="Position">x(t).</param>
/// <param name="Velocity">v(t) = x'(t).</param>
/// <param name="RangeViolations">Requested values outside the trained range (empty when all were inside).</param>
public sealed record OscillatorPrediction(double[] Times, double[] Position, double[] Velocity, IReadOnlyList<RangeViolation> RangeViolations);
