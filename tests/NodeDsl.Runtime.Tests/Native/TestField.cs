using NodeDsl.Numerics;

namespace NodeDsl.Runtime.Tests.Native;

/// <summary>
/// A small non-linear, time-dependent field with three parameters and a hand-derived VJP, for testing the native integrator
/// and adjoint without a model: <c>f_i = θ0·y_{i⊕1} − θ1·y_i³ + θ2·sin t</c> (i⊕1 swaps the two components of a row).
/// </summary>
internal sealed class TestField(int rows, double[] theta) : IVectorFieldVjp<double>
{
    public int Rows => rows;
    public int Length => 2 * rows;
    public double[] Theta { get; } = theta;
    public double[] GradTheta { get; } = new double[3];

    public void Rates(double t, ReadOnlySpan<double> y, Span<double> f)
    {
        for (int i = 0; i < y.Length; i++) f[i] = Theta[0] * y[i ^ 1] - Theta[1] * y[i] * y[i] * y[i] + Theta[2] * Math.Sin(t);
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> a, Span<double> vjpY)
    {
        for (int j = 0; j < y.Length; j++)
        {
            vjpY[j] = a[j ^ 1] * Theta[0] - 3 * Theta[1] * y[j] * y[j] * a[j];
            GradTheta[0] += a[j] * y[j ^ 1];
            GradTheta[1] -= a[j] * y[j] * y[j] * y[j];
            GradTheta[2] += a[j] * Math.Sin(t);
        }
    }
}

/// <summary>Accepts every step and keeps its size (a fixed-step "controller").</summary>
internal sealed class KeepStep : IStepControl
{
    public bool Decide(double stepMagnitude, double errorNorm, out double nextStepMagnitude)
    {
        nextStepMagnitude = stepMagnitude;
        return true;
    }
}

/// <summary>
/// <see cref="TestField"/> with records: an evaluation keeps y_i² (the part of its VJP that depends on the point), and the VJP
/// from a record reads y_i² from it. A record taken at another point gives a different gradient, so finite-difference checks
/// catch a record read from the wrong slot.
/// </summary>
internal sealed class RecordingTestField(int rows, double[] theta) : IRecordingVectorField<double>
{
    readonly TestField plain = new(rows, theta);

    public int Rows => rows;
    public int Length => 2 * rows;
    public double[] GradTheta => plain.GradTheta;
    public int RecordLength => Length;

    /// <summary>VJPs that started from a record.</summary>
    public int VjpsFromRecords { get; private set; }

    public void Rates(double t, ReadOnlySpan<double> y, Span<double> f) => plain.Rates(t, y, f);

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> a, Span<double> vjpY) => plain.Vjp(t, y, a, vjpY);

    public void RecordRates(double t, ReadOnlySpan<double> y, Span<double> f, Span<double> record)
    {
        plain.Rates(t, y, f);
        for (int i = 0; i < y.Length; i++) record[i] = y[i] * y[i];
    }

    public void VjpFromRecord(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> record, Span<double> vjpY)
    {
        VjpsFromRecords++;
        var theta = plain.Theta;
        for (int j = 0; j < y.Length; j++)
        {
            vjpY[j] = a[j ^ 1] * theta[0] - 3 * theta[1] * record[j] * a[j];
            GradTheta[0] += a[j] * y[j ^ 1];
            GradTheta[1] -= a[j] * record[j] * y[j];
            GradTheta[2] += a[j] * Math.Sin(t);
        }
    }
}
