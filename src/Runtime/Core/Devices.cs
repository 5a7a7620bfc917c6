using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>Chooses where tensors live.</summary>
public static class Devices
{
    /// <summary>CUDA device 0 when this build has the CUDA backend and a GPU is present, else the CPU.</summary>
    /// <exception cref="NativeBackendException">TorchSharp's native library cannot be loaded.</exception>
    public static Device Default()
    {
        NativeBackend.EnsureLoaded();
        return cuda.is_available() ? CUDA : CPU;
    }

    /// <summary>Parses "cpu", "cuda", "cuda:1" or "auto" (= <see cref="Default"/>).</summary>
    /// <exception cref="NativeBackendException">TorchSharp's native library cannot be loaded.</exception>
    public static Device Parse(string name)
    {
        NativeBackend.EnsureLoaded();
        if (string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase)) return Default();
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
            throw new ArgumentException(
                $"Device '{name}' was requested but CUDA is not available: this build uses the CPU TorchSharp backend " +
                "or no GPU is visible. On a machine with a GPU, reference TorchSharp-cuda-linux (or -windows) in place of " +
                "TorchSharp-cpu (docs/cuda.md; inside the NodeDsl repository build with -p:NodeDslTorchBackend=cuda), or use 'cpu'.",
                nameof(name));
        return new Device(name);
    }

    /// <summary>Name and version of the loaded native backend, e.g. for logs.</summary>
    /// <exception cref="NativeBackendException">TorchSharp's native library cannot be loaded.</exception>
    public static string BackendDescription()
    {
        NativeBackend.EnsureLoaded();
        return $"libtorch {torch.__version__}, TorchSharp, CUDA {(cuda.is_available() ? "available" : "not available")}";
    }
}
