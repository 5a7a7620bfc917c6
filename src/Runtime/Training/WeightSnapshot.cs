using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// A copy of a module's parameters and buffers on their own device (no host transfer), refreshed at the start of every
/// epoch, that a diverged run restores: the "last good weights".
/// </summary>
internal sealed class WeightSnapshot : IDisposable
{
    readonly nn.Module module;
    readonly Dictionary<string, Tensor> copies = [];

    public WeightSnapshot(nn.Module module)
    {
        this.module = module;
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            using var detached = tensor.detach();
            var copy = detached.clone();
            copy.DetachFromDisposeScope();
            copies[name] = copy;
        }
    }

    /// <summary>The number of completed epochs whose weights the snapshot holds.</summary>
    public int Epochs { get; private set; }

    /// <summary>Copies the module's current state into the snapshot (one device copy per tensor).</summary>
    public void Capture(int epochsCompleted)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) copies[name].copy_(tensor);
        Epochs = epochsCompleted;
    }

    /// <summary>Copies the snapshot back into the module.</summary>
    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(copies[name]);
    }

    public void Dispose()
    {
        foreach (var copy in copies.Values) copy.Dispose();
    }
}
