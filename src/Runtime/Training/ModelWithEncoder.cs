using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// A model and the <see cref="VelocityEncoder"/> of its latent initial velocities as one module, so that the optimizer,
/// checkpoints, divergence restores and early-stopping weights cover both (parameter names <c>model.*</c>, <c>encoder.*</c>).
/// </summary>
internal sealed class ModelWithEncoder : nn.Module
{
#pragma warning disable IDE0052 // registered as submodules by RegisterComponents
    readonly nn.Module model;
    readonly VelocityEncoder encoder;
#pragma warning restore IDE0052

    public ModelWithEncoder(nn.Module model, VelocityEncoder encoder, IOdeSystem system, TrainerOptions options) : base(nameof(ModelWithEncoder))
    {
        if (options.InitialState is not null)
            throw new ArgumentException("TrainerOptions sets both VelocityEncoder and InitialState; the custom initial states would never use the encoder. Keep one.");
        var layout = (system as IDescribedSystem)?.Layout;
        if (layout is null || !layout.States.Any(s => s.Kind == StateKind.LatentVelocity))
            throw new ArgumentException(
                $"TrainerOptions.VelocityEncoder encodes latent velocities, but {model.GetName()} has none ([Velocity(nameof(x), Latent = true)] in a generated model). Remove the encoder.");
        int latent = layout.States.Where(s => s.Kind == StateKind.LatentVelocity).Sum(s => s.Size);
        if (encoder.ObservedSize != layout.ObservedSize || encoder.LatentSize != latent)
            throw new ArgumentException(
                $"The velocity encoder maps {encoder.ObservedSize} observed to {encoder.LatentSize} latent components, but {model.GetName()} observes {layout.ObservedSize} and has {latent} latent; create the encoder for this model.");
        (this.model, this.encoder) = (model, encoder);
        RegisterComponents();
    }
}
