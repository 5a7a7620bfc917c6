using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Chooses where tensors live.</summary>
public static class Devices
{
    /// <summary>CUDA device 0 when this build has the CUDA backend and a GPU is present, else the CPU.</summary>
    public static Device Default() => cuda.is_available() ? CUDA : CPU;

    /// <summary>Parses "cpu", "cuda", "cuda:1" or "auto" (= <see cref="Default"/>).</summary>
    public static Device Parse(string name)
    {
        if (string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase)) return Default();
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
            throw new ArgumentException(
                $"Device '{name}' was requested but CUDA is not available: this build uses the CPU TorchSharp backend " +
                "or no GPU is visible. Build with -p:NodeDslTorchBackend=cuda on a machine with a GPU, or use 'cpu'.",
                nameof(name));
        return new Device(name);
    }

    /// <summary>Name and version of the loaded native backend, e.g. for logs.</summary>
    public static string BackendDescription()
        => $"libtorch {torch.__version__}, TorchSharp, CUDA {(cuda.is_available() ? "available" : "not available")}";
}
