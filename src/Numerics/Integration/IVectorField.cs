using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// A batched vector field over one flat state of <see cref="Length"/> values (<see cref="Rows"/> rows of equal width,
/// row-major) as the native integrator evaluates it; time is shared by the rows and passed as a double.
/// </summary>
public interface IVectorField<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of the state (trajectories), used to name the rows of a non-finite state.</summary>
    int Rows { get; }

    /// <summary>Values of the state.</summary>
    int Length { get; }

    /// <summary><c>f = f(t, y)</c>, overwriting <paramref name="f"/>.</summary>
    void Rates(double t, ReadOnlySpan<T> y, Span<T> f);
}

/// <summary>
/// A vector field with its vector–Jacobian product, as the discrete adjoint needs it: <c>aᵀ∂f/∂y</c> is returned and the
/// field accumulates <c>aᵀ∂f/∂θ</c> (and the inputs' part) into gradients of its own.
/// </summary>
public interface IVectorFieldVjp<T> : IVectorField<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Overwrites <paramref name="vjpY"/> with <c>aᵀ∂f/∂y</c> at <c>(t, y)</c> and adds the parameter part to the field's gradients.</summary>
    void Vjp(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, Span<T> vjpY);
}

/// <summary>
/// A field whose evaluations can keep what its vector–Jacobian product at the same point reads (a model kernel's network
/// inputs, outputs and hidden activations), so that the discrete adjoint of a solve that recorded them does not evaluate
/// the networks a second time.
/// </summary>
public interface IRecordingVectorField<T> : IVectorFieldVjp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Values one recorded evaluation keeps (0 when there is nothing worth keeping).</summary>
    int RecordLength { get; }

    /// <summary>Like <see cref="IVectorField{T}.Rates"/>, also filling <paramref name="record"/> (<see cref="RecordLength"/> values).</summary>
    void RecordRates(double t, ReadOnlySpan<T> y, Span<T> f, Span<T> record);

    /// <summary>Like <see cref="IVectorFieldVjp{T}.Vjp"/> at a point that <see cref="RecordRates"/> evaluated into <paramref name="record"/>.</summary>
    void VjpFromRecord(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> a, ReadOnlySpan<T> record, Span<T> vjpY);
}
