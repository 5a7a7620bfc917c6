using NodeDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Workloads;

/// <summary>
/// The benchmark workload of Chen et al.'s demo: dy/dt = (y∘y∘y) A with A = [[-0.1, 2.0], [-2.0, -0.1]]
/// (row-vector convention), y0 = (2, 0), 1000 output times on [0, 25].
/// </summary>
public static class SpiralWorkload
{
    /// <summary>Number of output times.</summary>
    public const int Points = 1000;
    /// <summary>Last output time (the first is 0).</summary>
    public const double EndTime = 25.0;
    /// <summary>The system matrix, row-vector convention.</summary>
    public static readonly double[,] A = { { -0.1, 2.0 }, { -2.0, -0.1 } };

    /// <summary>The true vector field, batched: y [batch, 2] → y³ A.</summary>
    public static IOdeSystem TrueDynamics(ScalarType dtype, Device device)
    {
        var a = tensor(new[] { A[0, 0], A[0, 1], A[1, 0], A[1, 1] }, 2, 2).to(dtype, device);
        return new DelegateOdeSystem((t, y) => y.pow(3).matmul(a));
    }

    /// <summary>y0 = (2, 0) as a [1, 2] tensor.</summary>
    public static Tensor InitialState(ScalarType dtype, Device device) => tensor(new[] { 2.0, 0.0 }, 1, 2).to(dtype, device);

    /// <summary>The 1000 evenly spaced output times on [0, 25].</summary>
    public static Tensor Times(ScalarType dtype, Device device) => linspace(0, EndTime, Points, dtype: dtype, device: device);
}
