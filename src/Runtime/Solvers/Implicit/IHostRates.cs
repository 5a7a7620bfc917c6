namespace NodeDsl.Runtime;

/// <summary>
/// A vector field that also evaluates on host values, without tensors: the rates of a batch at one shared time and its
/// exact Jacobian (implemented by the native kernels, <c>NativeStiffSystem</c>). Stiff methods use it where a solve builds
/// no graph: <see cref="HostRadau"/> evaluates its stages through it and <see cref="RatesJacobian"/> takes its Jacobian
/// instead of n autograd passes. Values are float64, row-major, <c>[batch, n]</c> (the batch of the solve's <c>y0</c>).
/// </summary>
internal interface IHostRates : IOdeSystem
{
    /// <summary>Overwrites <paramref name="f"/> with <c>f(t, y)</c>.</summary>
    void Rates(double t, ReadOnlySpan<double> y, Span<double> f);

    /// <summary>
    /// Overwrites <paramref name="jacobian"/> (<c>[batch, n, n]</c>, <c>J[b, i, j] = ∂f_i/∂y_j</c>) and, when not empty,
    /// <paramref name="timeDerivative"/> (<c>[batch, n]</c>, <c>∂f/∂t</c>) at <c>(t, y)</c>; exact, not finite differences.
    /// </summary>
    void Jacobian(double t, ReadOnlySpan<double> y, Span<double> jacobian, Span<double> timeDerivative);
}
