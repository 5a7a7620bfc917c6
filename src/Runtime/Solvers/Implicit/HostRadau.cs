using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;
using Coefficients = NodeDsl.Runtime.Tableaus.RadauIIA5;

namespace NodeDsl.Runtime;

/// <summary>
/// <see cref="Radau5"/>'s stage algebra on the host, for small systems on the CPU when no graph is needed: the same
/// algorithm as <see cref="TensorRadau"/> (transformed simplified Newton with one real and one complex LU per row,
/// RADAU5's start values and error estimate), but the few-by-few linear algebra runs as plain C# instead of a dozen tensor
/// ops per Newton iteration, whose dispatch (~2 µs each) would otherwise cost more than the arithmetic. The vector field
/// is evaluated by a <see cref="HostStageRates"/>: as tensors (all stages in one call for <see cref="IRowIndependentRates"/>
/// systems), or on the host for an <see cref="IHostRates"/> system (the native kernels: no tensor op in the Newton loop).
/// </summary>
internal sealed class HostRadau : RadauStepper<HostRadau.Factors>
{
    /// <summary>Largest state size on the host path: the O(n³) host LU beats batched libtorch kernels up to about here.</summary>
    public const int MaxStateSize = 32;
    /// <summary>Largest <c>batch · n²</c> (Jacobian entries) on the host path.</summary>
    public const long MaxJacobianEntries = 1 << 16;

    readonly bool _adaptive;
    readonly int _batch, _n;
    readonly ScalarType _dtype;
    readonly Device _device;
    readonly double[] _rtol, _atol;
    double[]? _previousZ, _attemptZ, _previousH, _attemptH;

    public HostRadau(SolverOptions options, JacobianMethod jacobianMethod, double refactorRatio, bool adaptive, Tensor like)
        : this(options, jacobianMethod, refactorRatio, adaptive, (int)like.shape[0], (int)like.shape[1], like.dtype, like.device) { }

    /// <summary>The algebra for a batch of <paramref name="batch"/> rows of <paramref name="n"/> states (<see cref="StepOnHost"/> needs no tensor).</summary>
    public HostRadau(SolverOptions options, JacobianMethod jacobianMethod, double refactorRatio, bool adaptive, int batch, int n, ScalarType dtype, Device device)
        : base(options, jacobianMethod, refactorRatio, dtype)
    {
        (_adaptive, _batch, _n, _dtype, _device) = (adaptive, batch, n, dtype, device);
        var tolerance = StepControl.Tolerance(options);
        _rtol = tolerance.RelativePerComponent ?? Enumerable.Repeat(tolerance.Relative, _n).ToArray();
        _atol = tolerance.AbsolutePerComponent ?? Enumerable.Repeat(tolerance.Absolute, _n).ToArray();
    }

    /// <summary>True when a solve from <paramref name="y0"/> can use the host path: CPU, float32/64, small, and no graph to build.</summary>
    public static bool Applies(Tensor y0, bool differentiate)
        => !differentiate && y0.device_type == DeviceType.CPU && y0.dtype is ScalarType.Float64 or ScalarType.Float32 && Fits(y0);

    /// <summary>True when the batch is small enough for host linear algebra (<see cref="MaxStateSize"/>, <see cref="MaxJacobianEntries"/>).</summary>
    public static bool Fits(Tensor y0) => y0.shape[1] <= MaxStateSize && y0.shape[0] * y0.shape[1] * y0.shape[1] <= MaxJacobianEntries;

    /// <summary>Per-row LU factors of <c>γI − hJ</c> and <c>(α + iβ)I − hJ</c>.</summary>
    internal sealed class Factors(double[] real, int[] realPivots, Complex[] complex, int[] complexPivots) : IDisposable
    {
        public double[] Real { get; } = real;
        public int[] RealPivots { get; } = realPivots;
        public Complex[] Complex { get; } = complex;
        public int[] ComplexPivots { get; } = complexPivots;
        public void Dispose() { }
    }

    protected override Factors? Factorize(Tensor jacobian, StepPoint step, SolveCounters counters) => FactorizeOnHost(Host(jacobian), step, counters);

    /// <summary>The iteration matrices' LU factors from host Jacobians (<c>[batch, n, n]</c>); null when one is singular.</summary>
    internal Factors? FactorizeOnHost(double[] j, StepPoint step, SolveCounters counters)
    {
        counters.Factorizations += 2;
        var rc = Coefficients.Coefficients;
        var h = Steps(step);
        int n = _n, nn = n * n;
        var real = new double[_batch * nn];
        var complex = new Complex[_batch * nn];
        var realPivots = new int[_batch * n];
        var complexPivots = new int[_batch * n];
        var shift = new Complex(rc.Alpha, rc.Beta);
        for (int b = 0; b < _batch; b++)
        {
            double hb = h.Length == 1 ? h[0] : h[b];
            for (int k = 0; k < nn; k++)
            {
                double hj = hb * j[b * nn + k];
                bool diagonal = k % (n + 1) == 0;
                real[b * nn + k] = (diagonal ? rc.Gamma : 0) - hj;
                complex[b * nn + k] = (diagonal ? shift : Complex.Zero) - hj;
            }
            if (!SmallLu.Factor(real.AsSpan(b * nn, nn), realPivots.AsSpan(b * n, n), n)
                || !SmallLu.Factor(complex.AsSpan(b * nn, nn), complexPivots.AsSpan(b * n, n), n))
                return null;
        }
        return new Factors(real, realPivots, complex, complexPivots);
    }

    protected override StepAttempt? Step(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, Factors factors, bool retry, SolveCounters counters)
    {
        var stages = HostStageRates.For(f, step, Coefficients.Coefficients.C, _batch, _n, _dtype, _device);
        if (StepOnHost(stages, step, Host(y0), _adaptive ? Host(f0) : [], factors, retry, counters) is not { } result) return null;
        var errorEstimate = result.Error is null ? null : ToTensor(result.Error, 1);
        return new StepAttempt(ToTensor(result.Y1, 1))
        {
            ErrorEstimate = errorEstimate, Dense = new CollocationDenseOutput(Coefficients.Coefficients, y0, ToTensor(result.Z, 3)),
        };
    }

    /// <summary>One step's end state, stages <c>Z</c> (<c>[3, batch, n]</c>) and error estimate (null without step control).</summary>
    internal sealed record HostStep(double[] Y1, double[] Z, double[]? Error);

    /// <summary>
    /// Solves the stage equations from host values <paramref name="y"/> and <paramref name="f0"/> (<c>[batch, n]</c>) with
    /// <paramref name="factors"/>; null when Newton fails. The stages become the next start values once accepted
    /// (<see cref="Promote"/>). Both drivers (the tensor step loop through <see cref="Step"/>, the native loop) call this.
    /// </summary>
    internal HostStep? StepOnHost(HostStageRates stages, StepPoint step, double[] y, double[] f0, Factors factors, bool retry, SolveCounters counters)
    {
        var rc = Coefficients.Coefficients;
        int size = _batch * _n;
        var h = Steps(step);
        var scale = new double[size];
        for (int k = 0; k < size; k++) scale[k] = _atol[k % _n] + _rtol[k % _n] * Math.Abs(y[k]);

        var z = StartValues(step);
        var w = Apply(rc.TInverse, z, size);
        var stageStates = new double[3 * size];
        Control.Start();
        bool converged = false;
        for (int k = 0; k < Radau5.MaxIterations && !converged; k++)
        {
            for (int i = 0; i < 3; i++)
                for (int m = 0; m < size; m++) stageStates[i * size + m] = y[m] + z[i * size + m];
            var rates = stages.Stages(stageStates, counters);
            var dw = NewtonIncrement(rates, w, h, factors);
            var verdict = Control.Judge(k, ScaledNorm(dw, scale));
            if (verdict == NewtonVerdict.Failed) return null;
            for (int m = 0; m < w.Length; m++) w[m] += dw[m];
            z = Apply(rc.T, w, size);
            if (verdict == NewtonVerdict.Converged)
            {
                (Iterations, Rate) = (k + 1, Control.Rate);
                converged = true;
            }
        }
        if (!converged) return null;

        var error = _adaptive ? ErrorEstimate(stages, y, f0, z, h, factors, refine: retry || _previousZ is null, counters) : null;
        _attemptZ = z;
        _attemptH = h;
        var y1 = new double[size];
        for (int m = 0; m < size; m++) y1[m] = y[m] + z[2 * size + m];
        return new HostStep(y1, z, error);
    }

    /// <summary>Newton iterations and largest contraction rate of the last converged attempt (for <see cref="JacobianReuse.IsStale"/>).</summary>
    internal (int Iterations, double Rate) LastIteration => (Iterations, Rate);

    /// <summary>The last attempt was accepted for every row (batch mode): its stages give the next start values.</summary>
    internal void PromoteAll() => Promote(null);

    protected override void Promote(Tensor? acceptedRows)
    {
        if (_attemptZ is null || _attemptH is null) return;
        if (acceptedRows is null || _previousZ is null || _previousH is null)
        {
            (_previousZ, _previousH) = (_attemptZ, _attemptH);
            if (acceptedRows is not null)
            {
                // First accepted step in per-trajectory mode: rows not yet accepted have no polynomial (zero start values).
                var accepted = HostMask(acceptedRows);
                for (int b = 0; b < _batch; b++) if (!accepted[b]) ClearRow(b);
            }
        }
        else
        {
            var accepted = HostMask(acceptedRows);
            for (int b = 0; b < _batch; b++)
            {
                if (!accepted[b]) continue;
                _previousH[b] = _attemptH[b];
                for (int i = 0; i < 3; i++) Array.Copy(_attemptZ, (i * _batch + b) * _n, _previousZ, (i * _batch + b) * _n, _n);
            }
        }
        (_attemptZ, _attemptH) = (null, null);
    }

    void ClearRow(int b)
    {
        _previousH![b] = 0;
        for (int i = 0; i < 3; i++) Array.Clear(_previousZ!, (i * _batch + b) * _n, _n);
    }

    /// <summary>RADAU5's start values <c>u(1 + cᵢ·h/h_prev) − u(1)</c> of the previous polynomial (zero on the first step).</summary>
    double[] StartValues(StepPoint step)
    {
        int size = _batch * _n;
        var z = new double[3 * size];
        if (_previousZ is null || _previousH is null) return z;
        var rc = Coefficients.Coefficients;
        var ratio = Ratios(step, _previousH);
        var end = rc.DenseWeights(1);
        for (int b = 0; b < _batch; b++)
        {
            double r = ratio.Length == 1 ? ratio[0] : ratio[b];
            for (int i = 0; i < 3; i++)
            {
                var at = rc.DenseWeights(1 + rc.C[i] * r);
                for (int j = 0; j < 3; j++)
                {
                    double weight = at[j] - end[j];
                    for (int k = 0; k < _n; k++) z[(i * _batch + b) * _n + k] += weight * _previousZ[(j * _batch + b) * _n + k];
                }
            }
        }
        return z;
    }

    /// <summary>ΔW from <c>r = h (T⁻¹ ⊗ I) F − (Λ ⊗ I) W</c>: a real solve for component 0, a complex one for 1 + i·2.</summary>
    double[] NewtonIncrement(double[] rates, double[] w, double[] h, Factors factors)
    {
        var rc = Coefficients.Coefficients;
        int size = _batch * _n, n = _n, nn = n * n;
        var ti = rc.TInverse;
        var dw = new double[3 * size];
        var real = new double[n];
        var complex = new Complex[n];
        for (int b = 0; b < _batch; b++)
        {
            double hb = h.Length == 1 ? h[0] : h[b];
            for (int k = 0; k < n; k++)
            {
                int m = b * n + k;
                double f0 = rates[m], f1 = rates[size + m], f2 = rates[2 * size + m];
                double w0 = w[m], w1 = w[size + m], w2 = w[2 * size + m];
                real[k] = hb * (ti[0, 0] * f0 + ti[0, 1] * f1 + ti[0, 2] * f2) - rc.Gamma * w0;
                double r1 = hb * (ti[1, 0] * f0 + ti[1, 1] * f1 + ti[1, 2] * f2) - rc.Alpha * w1 + rc.Beta * w2;
                double r2 = hb * (ti[2, 0] * f0 + ti[2, 1] * f1 + ti[2, 2] * f2) - rc.Beta * w1 - rc.Alpha * w2;
                complex[k] = new Complex(r1, r2);
            }
            SmallLu.Solve<double>(factors.Real.AsSpan(b * nn, nn), factors.RealPivots.AsSpan(b * n, n), real, n);
            SmallLu.Solve<Complex>(factors.Complex.AsSpan(b * nn, nn), factors.ComplexPivots.AsSpan(b * n, n), complex, n);
            for (int k = 0; k < n; k++)
            {
                int m = b * n + k;
                dw[m] = real[k];
                dw[size + m] = complex[k].Real;
                dw[2 * size + m] = complex[k].Imaginary;
            }
        }
        return dw;
    }

    /// <summary>RADAU5's error estimate, refined once on the first step and on retries (see <see cref="TensorRadau"/>).</summary>
    double[] ErrorEstimate(HostStageRates stages, double[] y, double[] f0, double[] z, double[] h, Factors factors, bool refine, SolveCounters counters)
    {
        var e = Coefficients.Coefficients.ErrorWeights;
        int size = _batch * _n;
        var ez = new double[size];
        for (int m = 0; m < size; m++) ez[m] = e[0] * z[m] + e[1] * z[size + m] + e[2] * z[2 * size + m];
        var error = SolveReal(ez, f0, h, factors);
        if (!refine) return error;
        var probe = new double[size];
        for (int m = 0; m < size; m++) probe[m] = y[m] + error[m];
        return SolveReal(ez, stages.AtStart(probe, counters), h, factors);
    }

    // (γI − hJ)⁻¹ (ez + h·rates), row by row.
    double[] SolveReal(double[] ez, double[] rates, double[] h, Factors factors)
    {
        int n = _n, nn = n * n;
        var x = new double[ez.Length];
        for (int b = 0; b < _batch; b++)
        {
            double hb = h.Length == 1 ? h[0] : h[b];
            for (int k = 0; k < n; k++) x[b * n + k] = ez[b * n + k] + hb * rates[b * n + k];
            SmallLu.Solve<double>(factors.Real.AsSpan(b * nn, nn), factors.RealPivots.AsSpan(b * n, n), x.AsSpan(b * n, n), n);
        }
        return x;
    }

    /// <summary>Largest per-row RMS of <c>ΔW / scale</c> over the three stages (as <see cref="TensorRadau"/>).</summary>
    double ScaledNorm(double[] dw, double[] scale)
    {
        int size = _batch * _n;
        double worst = 0;
        for (int b = 0; b < _batch; b++)
        {
            double sum = 0;
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < _n; k++)
                {
                    double v = dw[i * size + b * _n + k] / scale[b * _n + k];
                    sum += v * v;
                }
            worst = Math.Max(worst, sum / (3 * _n));
        }
        return Math.Sqrt(worst);
    }

    /// <summary><c>(M ⊗ I) X</c> for a 3×3 matrix and three stacked blocks of <paramref name="size"/> values.</summary>
    static double[] Apply(double[,] matrix, double[] x, int size)
    {
        var r = new double[3 * size];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double a = matrix[i, j];
                for (int m = 0; m < size; m++) r[i * size + m] += a * x[j * size + m];
            }
        return r;
    }

    /// <summary>A tensor of <paramref name="blocks"/> × <c>[batch, n]</c> from host values (squeezed to <c>[batch, n]</c> for one block).</summary>
    Tensor ToTensor(double[] values, int blocks) => ToTensor(values, blocks, _batch, _n, _dtype, _device);

    /// <summary>A tensor of <paramref name="blocks"/> × <c>[batch, n]</c> from host values (squeezed to <c>[batch, n]</c> for one block).</summary>
    internal static Tensor ToTensor(double[] values, int blocks, int batch, int n, ScalarType dtype, Device device)
        => blocks == 1
            ? torch.tensor(values, new long[] { batch, n }, dtype, device)
            : torch.tensor(values, new long[] { blocks, batch, n }, dtype, device);

    /// <summary>Host copy of a tensor's values as doubles (row-major).</summary>
    internal static double[] Host(Tensor x)
    {
        using var noGrad = torch.no_grad();
        if (x.dtype == ScalarType.Float64 && x.is_contiguous()) return x.data<double>().ToArray();
        using var converted = x.detach().to(ScalarType.Float64).contiguous();
        return converted.data<double>().ToArray();
    }
}
