namespace NodeDsl.Runtime;

/// <summary>An argument to a solve was invalid: wrong shape, dtype, device, or time grid.</summary>
/// <remarks>In NodeDsl.Prediction (namespace unchanged) because the option rules it reports are shared with prediction.</remarks>
public sealed class OdeArgumentException(string message, string? paramName = null)
    : ArgumentException(message, paramName);
