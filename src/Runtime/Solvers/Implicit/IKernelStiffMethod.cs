namespace NodeDsl.Runtime;

/// <summary>
/// A stiff method whose forward solve can evaluate the vector field and its Jacobian through an <see cref="IHostRates"/>
/// system (the native kernels, <c>StiffNativeSolve</c>) instead of the model's tensors.
/// </summary>
internal interface IKernelStiffMethod
{
    /// <summary>Null when the method can run on <see cref="IHostRates"/>; otherwise why not (completes "… but …").</summary>
    string? KernelObstacle { get; }
}
