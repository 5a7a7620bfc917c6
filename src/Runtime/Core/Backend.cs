namespace NodeDsl.Runtime;

/// <summary>Which code runs a solve (see docs/backends.md).</summary>
public enum Backend
{
    /// <summary>
    /// The native kernels where the model and solve are eligible (CPU, an explicit Runge–Kutta method with a native
    /// version, batch error norm, a generated model with native kernels) and the measured crossover says they are faster;
    /// TorchSharp otherwise. The default.
    /// </summary>
    Auto,
    /// <summary>Always the TorchSharp tensor code (any device, solver, model).</summary>
    Torch,
    /// <summary>Always the native kernels; a solve they cannot run throws an <see cref="OdeArgumentException"/> naming the reason.</summary>
    Native,
}
