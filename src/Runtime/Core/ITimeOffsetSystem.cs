using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A system that can be solved on a time grid relative to each row's own start, as training batches of windows that
/// begin at different times are: row b is evaluated at <c>t = s + TimeOffsets[b]</c>, where s is the solver's time, so
/// time-dependent rates see every row at its absolute time while all rows share one batched solve.
/// </summary>
/// <remarks>
/// Generated models (<see cref="OdeModel"/>) implement it and add the offsets only where they read time, so models without
/// <c>[Time]</c> pay nothing. The trainer wraps any other system in an adapter that shifts t before every call. The
/// offsets are constants: ∂f/∂s = ∂f/∂t, so every gradient method works unchanged.
/// </remarks>
public interface ITimeOffsetSystem : IOdeSystem
{
    /// <summary>Per-row time offsets <c>[batch, 1]</c> in the system's dtype and device, or null when the solver's time is absolute.</summary>
    Tensor? TimeOffsets { get; set; }
}
