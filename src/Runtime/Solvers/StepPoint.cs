using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Where a step starts and how long it is, either one time and step for the whole batch
/// (<see cref="ErrorNorm.Batch"/>) or one per row (<see cref="ErrorNorm.PerTrajectory"/>, <c>[batch, 1]</c> tensors).
/// Methods use its helpers for stage times and <c>h</c>-scaling so one implementation serves both modes.
/// </summary>
/// <remarks>
/// The tensors it creates for <see cref="T0"/> and <see cref="H"/> belong to it (outside any dispose scope) and are
/// released by <see cref="Dispose"/>; the driver disposes a step point after the step. Results of <see cref="Time"/>,
/// <see cref="Scale"/> and <see cref="AddScaled"/> are new tensors in the caller's dispose scope.
/// </remarks>
public sealed class StepPoint : IDisposable
{
    readonly double _t0, _h;
    readonly double[]? _t0Rows, _hRows;
    Tensor? _t0Tensor, _hTensor;

    StepPoint(double t0, double h, double[]? t0Rows, double[]? hRows, ScalarType dtype, Device device)
    {
        (_t0, _h, _t0Rows, _hRows, Dtype, Device) = (t0, h, t0Rows, hRows, dtype, device);
    }

    /// <summary>A step shared by all rows: from <paramref name="t0"/> by <paramref name="h"/> (negative when integrating backwards).</summary>
    public static StepPoint Shared(double t0, double h, ScalarType dtype, Device device)
        => new(t0, h, null, null, dtype, device);

    /// <summary>One step per row: row <c>r</c> goes from <c>t0[r]</c> by <c>h[r]</c> (zero for rows that must not move).</summary>
    public static StepPoint PerTrajectory(double[] t0, double[] h, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(t0);
        ArgumentNullException.ThrowIfNull(h);
        if (t0.Length != h.Length) throw new ArgumentException("t0 and h must have one entry per row.", nameof(h));
        return new(double.NaN, double.NaN, (double[])t0.Clone(), (double[])h.Clone(), dtype, device);
    }

    /// <summary>True when every row has its own time and step (<c>[batch, 1]</c> tensors).</summary>
    public bool IsPerTrajectory => _t0Rows is not null;

    /// <summary>Dtype of the state; every tensor made here has it.</summary>
    public ScalarType Dtype { get; }

    /// <summary>Device of the state; every tensor made here lives there.</summary>
    public Device Device { get; }

    /// <summary>The shared start time (host value). Only in batch mode.</summary>
    public double SharedTime => !IsPerTrajectory ? _t0 : throw PerRowOnly();

    /// <summary>The shared step (host value, signed). Only in batch mode.</summary>
    public double SharedStep => !IsPerTrajectory ? _h : throw PerRowOnly();

    /// <summary>Per-row start times (host values). Only in per-trajectory mode.</summary>
    public IReadOnlyList<double> RowTimes => _t0Rows ?? throw new InvalidOperationException("This step is shared by all rows; use SharedTime.");

    /// <summary>Per-row steps (host values, signed, zero for finished rows). Only in per-trajectory mode.</summary>
    public IReadOnlyList<double> RowSteps => _hRows ?? throw new InvalidOperationException("This step is shared by all rows; use SharedStep.");

    /// <summary>Start time as a tensor: 0-d in batch mode, <c>[batch, 1]</c> per trajectory.</summary>
    public Tensor T0 => _t0Tensor ??= Make(_t0, _t0Rows);

    /// <summary>Signed step as a tensor: 0-d in batch mode, <c>[batch, 1]</c> per trajectory.</summary>
    public Tensor H => _hTensor ??= Make(_h, _hRows);

    /// <summary>The stage time <c>t0 + c·h</c> (0-d or <c>[batch, 1]</c>), ready to pass to <see cref="IOdeSystem.Rates"/>.</summary>
    public Tensor Time(double c)
        => IsPerTrajectory ? ScalarOps.Add(T0, H, c) : torch.tensor(_t0 + c * _h, Dtype, Device);

    /// <summary><c>c·h·x</c>, out of place (one op in batch mode, two per trajectory).</summary>
    public Tensor Scale(Tensor x, double c)
        => IsPerTrajectory ? ScalarOps.Mul(x.mul(H), c) : ScalarOps.Mul(x, c * _h);

    /// <summary><c>y + c·h·x</c>, out of place (one op).</summary>
    public Tensor AddScaled(Tensor y, Tensor x, double c)
        => IsPerTrajectory ? ScalarOps.AddCMul(y, H, x, c) : ScalarOps.Add(y, x, c * _h);

    /// <summary>Releases the tensors this step point created.</summary>
    public void Dispose()
    {
        _t0Tensor?.Dispose();
        _hTensor?.Dispose();
        _t0Tensor = _hTensor = null;
    }

    Tensor Make(double shared, double[]? rows)
    {
        var t = rows is null
            ? torch.tensor(shared, Dtype, Device)
            : torch.tensor(rows, new long[] { rows.Length, 1 }, Dtype, Device);
        // Owned by this object, not by whichever dispose scope happens to be open when it is first asked for.
        return t.DetachFromDisposeScope();
    }

    static InvalidOperationException PerRowOnly()
        => new("This step has one time and step per row; use T0/H or RowTimes/RowSteps.");
}
