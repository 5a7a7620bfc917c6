using System.Numerics;
using NodeDsl.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A generated model's native kernels as the vector field of a stiff solve that builds no graph: the rates from
/// <see cref="RatesKernel{T}.Rates"/> and the exact Jacobian from n batched VJPs with unit cotangents (<c>a = e_i</c> on
/// every row gives row i of <c>∂f/∂y</c> of all trajectories at once, and <c>∂f_i/∂t</c> with it), on host values
/// (<see cref="IHostRates"/>) for <see cref="HostRadau"/> and <see cref="RatesJacobian"/>, and as tensors for the step
/// driver and the methods whose algebra runs on tensors. θ, the inputs and the time offsets are read once, at construction.
/// </summary>
internal sealed class StiffKernelSystem<T> : IHostRates where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly RatesKernel<T> _kernel;
    readonly KernelWorkspace<T> _workspace;
    readonly T[] _theta, _inputs, _y, _f, _a, _vjpY, _vjpTheta, _vjpT, _time;
    readonly T[]? _offsets;
    readonly int _rows, _n;

    /// <param name="model">An eligible model (<see cref="NativeEligibility"/>) whose dtype is <typeparamref name="T"/>.</param>
    /// <param name="rows">Trajectories in the batch.</param>
    public StiffKernelSystem(OdeModel model, int rows)
    {
        var native = (INativeKernels)model;
        var layout = native.KernelLayout;
        _kernel = NativeBufferPool.Kernel<T>(model);
        (_rows, _n) = (rows, layout.StateSize);
        _workspace = _kernel.CreateWorkspace(rows);
        _theta = new T[layout.ParameterCount];
        NativeParameters.Read(layout, ((IRatesVjp)model).Parameters, _theta);
        _inputs = model.Inputs is { } inputs ? HostTensors.Read<T>(inputs) : [];
        // Offsets only matter where the model reads time (the generated TorchSharp rates ignore them otherwise).
        if (layout.DependsOnTime && model.TimeOffsets is { } offsets)
        {
            using var expanded = offsets.expand(rows, 1);
            _offsets = HostTensors.Read<T>(expanded);
        }
        int size = rows * _n;
        (_y, _f, _a, _vjpY) = (new T[size], new T[size], new T[size], new T[size]);
        _vjpTheta = new T[_theta.Length];
        _vjpT = new T[rows];
        _time = new T[rows];
    }

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y)
    {
        if (y.shape[0] != _rows)
            throw new InvalidOperationException($"The native stiff system was built for {_rows} rows but got {y.shape[0]}.");
        HostTensors.CopyTo(y, _y);
        var time = t.numel() == 1 ? Times(t.ToDouble()) : RowTimes(t);
        _kernel.Rates(time, _y, _theta, _inputs, _f, _workspace);
        return HostTensors.Write<T>(_f, _rows, _n);
    }

    /// <inheritdoc />
    public void Rates(double t, ReadOnlySpan<double> y, Span<double> f)
    {
        ToKernel(y, _y);
        _kernel.Rates(Times(t), _y, _theta, _inputs, _f, _workspace);
        ToHost(_f, f);
    }

    /// <inheritdoc />
    public void Jacobian(double t, ReadOnlySpan<double> y, Span<double> jacobian, Span<double> timeDerivative)
    {
        ToKernel(y, _y);
        var time = Times(t);
        int n = _n;
        for (int i = 0; i < n; i++)
        {
            // a = e_i on every row: aᵀ∂f/∂y is row i of each row's Jacobian, aᵀ∂f/∂t is ∂f_i/∂t.
            Array.Clear(_a);
            for (int b = 0; b < _rows; b++) _a[b * n + i] = T.One;
            Array.Clear(_vjpTheta);
            _kernel.Vjp(time, _y, _a, _theta, _inputs, _f, _vjpY, _vjpTheta, default, timeDerivative.IsEmpty ? default : _vjpT, _workspace);
            for (int b = 0; b < _rows; b++)
            {
                for (int j = 0; j < n; j++) jacobian[(b * n + i) * n + j] = double.CreateTruncating(_vjpY[b * n + j]);
                if (!timeDerivative.IsEmpty) timeDerivative[b * n + i] = double.CreateTruncating(_vjpT[b]);
            }
        }
    }

    // Shared time, or t + offset per row (added in T, as the TorchSharp model adds its offsets tensor).
    ReadOnlySpan<T> Times(double t)
    {
        T shared = T.CreateTruncating(t);
        if (_offsets is null)
        {
            _time[0] = shared;
            return _time.AsSpan(0, 1);
        }
        for (int r = 0; r < _rows; r++) _time[r] = shared + _offsets[r];
        return _time;
    }

    // One time per row ([batch, 1], per-trajectory steps), plus the offsets.
    ReadOnlySpan<T> RowTimes(Tensor t)
    {
        HostTensors.CopyTo(t, _time);
        if (_offsets is not null) for (int r = 0; r < _rows; r++) _time[r] += _offsets[r];
        return _time;
    }

    static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> from, Span<TTo> to) where TFrom : INumberBase<TFrom> where TTo : INumberBase<TTo>
    {
        for (int k = 0; k < from.Length; k++) to[k] = TTo.CreateTruncating(from[k]);
    }

    static void ToKernel(ReadOnlySpan<double> from, Span<T> to) => Convert<double, T>(from, to);

    static void ToHost(ReadOnlySpan<T> from, Span<double> to) => Convert<T, double>(from, to);
}
