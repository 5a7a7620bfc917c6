using System.Runtime.InteropServices;
using TorchSharp;

namespace NodeDsl.Runtime;

/// <summary>
/// Loads TorchSharp's native library before the first NodeDsl operation, so that a failed load is reported with the
/// dynamic loader's own reason and a remedy (<see cref="NativeBackendException"/>) instead of TorchSharp's message,
/// which on such failures blames a missing package reference (see docs/cuda.md).
/// </summary>
internal static class NativeBackend
{
    /// <summary>TorchSharp's native bridge; NativeLibrary adds the platform's prefix and suffix (libLibTorchSharp.so).</summary>
    internal const string BridgeLibrary = "LibTorchSharp";

    // The probe runs once per process; a failure is kept and reported again by every later call.
    static readonly Lazy<DllNotFoundException?> Failure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Throws <see cref="NativeBackendException"/> when the native library cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } failure) throw NativeBackendException.FromLoaderFailure(failure);
    }

    /// <summary>Returns <paramref name="value"/> after <see cref="EnsureLoaded"/>: for base-constructor arguments.</summary>
    public static T Checked<T>(T value)
    {
        EnsureLoaded();
        return value;
    }

    static DllNotFoundException? Probe()
    {
        var torchSharp = typeof(torch).Assembly;
        // The same order as TorchSharp's own loader: libtorch first (the bridge's dependency), then the bridge, whose
        // load error is the one that names the real cause. Both are resolved from the application's deps.json.
        NativeLibrary.TryLoad("torch_cpu", torchSharp, null, out _);
        try
        {
            NativeLibrary.Load(BridgeLibrary, torchSharp, null);
            return null;
        }
        catch (DllNotFoundException e) { return e; }
    }
}
