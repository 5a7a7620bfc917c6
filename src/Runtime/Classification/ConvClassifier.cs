using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Classification;

/// <summary>
/// Stem, middle and head in sequence: inputs <c>[batch, in, …]</c> → class scores <c>[batch, classes]</c>. Built by
/// <see cref="ClassifierNetworks"/>; parameters are registered as <c>stem.*</c>, <c>middle.*</c>, <c>head.*</c>.
/// </summary>
public sealed class ConvClassifier : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> stem, middle, head;

    /// <summary>Assembles the parts.</summary>
    public ConvClassifier(string name, nn.Module<Tensor, Tensor> stem, nn.Module<Tensor, Tensor> middle, nn.Module<Tensor, Tensor> head) : base(name)
    {
        this.stem = stem ?? throw new ArgumentNullException(nameof(stem));
        this.middle = middle ?? throw new ArgumentNullException(nameof(middle));
        this.head = head ?? throw new ArgumentNullException(nameof(head));
        RegisterComponents();
    }

    /// <summary>The downsampling stem.</summary>
    public nn.Module<Tensor, Tensor> Stem => stem;
    /// <summary>The middle part: residual blocks in sequence, or an <see cref="OdeBlock"/>.</summary>
    public nn.Module<Tensor, Tensor> Middle => middle;
    /// <summary>Group norm, ReLU, pooling and the linear layer to the scores.</summary>
    public nn.Module<Tensor, Tensor> Head => head;

    /// <summary>Trainable parameters (elements).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return head.forward(middle.forward(stem.forward(input))).MoveToOuterDisposeScope();
    }
}
