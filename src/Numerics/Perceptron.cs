using System.Numerics;

namespace NodeDsl.Numerics;

/// <summary>
/// The built-in perceptron of <c>[Neural(hidden…)]</c> as a batched span kernel: affine layers with an activation between
/// them (none after the last), forward and layer backward over the whole batch. Its parameters are one contiguous slice
/// in torch's <c>parameters()</c> order: <c>layer0.weight</c> <c>[h0, in]</c> row-major, <c>layer0.bias</c> <c>[h0]</c>,
/// <c>layer1.weight</c>, …
/// </summary>
/// <remarks>
/// Buffers are the caller's (a <see cref="KernelWorkspace{T}"/>): <see cref="ScratchWidth"/> values per row for
/// <see cref="Forward"/> and <see cref="Backward"/>, <see cref="TapeWidth"/> per row for the activations
/// <see cref="Record"/> keeps, so no call allocates.
/// </remarks>
public sealed class Perceptron
{
    readonly int[] widths;
    readonly int[] weightOffsets;
    readonly int[] tapeOffsets;

    /// <summary>A perceptron with layer widths <paramref name="widths"/> (input, hidden…, output).</summary>
    public Perceptron(IReadOnlyList<int> widths, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2 || widths.Any(w => w <= 0))
            throw new ArgumentException("A perceptron needs an input and an output width, all positive.", nameof(widths));
        this.widths = widths.ToArray();
        Activation = activation;
        int layers = this.widths.Length - 1;
        weightOffsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            weightOffsets[l] = offset;
            offset += this.widths[l + 1] * this.widths[l] + this.widths[l + 1];
        }
        ParameterCount = offset;
        tapeOffsets = new int[Math.Max(0, layers - 1)];
        int tape = 0;
        for (int l = 0; l < layers - 1; l++)
        {
            tapeOffsets[l] = tape;
            tape += 2 * this.widths[l + 1];
        }
        TapeWidth = tape;
        ScratchWidth = 2 * this.widths.Skip(1).Max();
    }

    /// <summary>Width of the input.</summary>
    public int InputSize => widths[0];

    /// <summary>Width of the output.</summary>
    public int OutputSize => widths[^1];

    /// <summary>Activation between layers.</summary>
    public Activation Activation { get; }

    /// <summary>Layer widths: input, hidden…, output.</summary>
    public IReadOnlyList<int> Widths => widths;

    /// <summary>Number of affine layers.</summary>
    public int LayerCount => widths.Length - 1;

    /// <summary>Weights and biases in all layers (the length of the network's θ slice).</summary>
    public int ParameterCount { get; }

    /// <summary>Values per batch row that <see cref="Record"/> keeps: pre-activation z and activation a of each hidden layer.</summary>
    public int TapeWidth { get; }

    /// <summary>Values per batch row of scratch that <see cref="Forward"/> and <see cref="Backward"/> use.</summary>
    public int ScratchWidth { get; }

    /// <summary>Offset of <c>layer{l}.weight</c> in the network's θ slice (its bias follows it).</summary>
    public int WeightOffset(int layer) => weightOffsets[layer];

    /// <summary><c>y = net(x)</c> over <c>[batch, InputSize]</c> → <c>[batch, OutputSize]</c>.</summary>
    public void Forward<T>(ReadOnlySpan<T> theta, ReadOnlySpan<T> x, Span<T> y, int batch, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = batch * (ScratchWidth / 2);
        ReadOnlySpan<T> input = x;
        for (int l = 0; l < LayerCount; l++)
        {
            bool last = l == LayerCount - 1;
            var output = last ? y : scratch.Slice(l % 2 == 0 ? 0 : half, batch * widths[l + 1]);
            Affine(theta, l, input, output, batch);
            if (!last) ActivationKernels.Forward<T>(Activation, output, output);
            input = output;
        }
    }

    /// <summary>Like <see cref="Forward"/>, keeping each hidden layer's z and a in <paramref name="tape"/> (<c>batch · TapeWidth</c>) for <see cref="Backward"/>.</summary>
    public void Record<T>(ReadOnlySpan<T> theta, ReadOnlySpan<T> x, Span<T> y, int batch, Span<T> tape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> input = x;
        for (int l = 0; l < LayerCount; l++)
        {
            if (l == LayerCount - 1)
            {
                Affine(theta, l, input, y, batch);
                return;
            }
            int width = widths[l + 1], at = batch * tapeOffsets[l];
            var z = tape.Slice(at, batch * width);
            var a = tape.Slice(at + batch * width, batch * width);
            Affine(theta, l, input, z, batch);
            ActivationKernels.Forward<T>(Activation, z, a);
            input = a;
        }
    }

    /// <summary>
    /// The layer backward of a recorded evaluation: <c>gx = gy · ∂net/∂x</c> (overwritten) and <c>gy · ∂net/∂θ</c> added into
    /// <paramref name="gradTheta"/> (the network's slice), summed over the batch. With <c>y = a Wᵀ + b</c>:
    /// <c>∂L/∂W = gᵀa</c>, <c>∂L/∂b = Σ g</c>, <c>∂L/∂a = g W</c>, and <c>∂L/∂z = ∂L/∂a ⊙ σ'(z)</c> through each activation.
    /// </summary>
    public void Backward<T>(ReadOnlySpan<T> theta, ReadOnlySpan<T> x, ReadOnlySpan<T> tape, ReadOnlySpan<T> gy, Span<T> gx,
                            Span<T> gradTheta, int batch, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = batch * (ScratchWidth / 2);
        ReadOnlySpan<T> g = gy;
        for (int l = LayerCount - 1; l >= 0; l--)
        {
            int inSize = widths[l], outSize = widths[l + 1];
            int w = weightOffsets[l], b = w + outSize * inSize;
            var weight = theta.Slice(w, outSize * inSize);
            if (l == 0)
            {
                DenseLayer.Backward(x, weight, g, gx, gradTheta.Slice(w, outSize * inSize), gradTheta.Slice(b, outSize), batch, inSize, outSize);
                return;
            }
            // The hidden layer below this one: its z and a are the tape block l − 1.
            int at = batch * tapeOffsets[l - 1];
            var z = tape.Slice(at, batch * inSize);
            var a = tape.Slice(at + batch * inSize, batch * inSize);
            var ga = scratch.Slice(l % 2 == 0 ? 0 : half, batch * inSize);
            DenseLayer.Backward<T>(a, weight, g, ga, gradTheta.Slice(w, outSize * inSize), gradTheta.Slice(b, outSize), batch, inSize, outSize);
            ActivationKernels.Backward<T>(Activation, z, a, ga);
            g = ga;
        }
    }

    void Affine<T>(ReadOnlySpan<T> theta, int layer, ReadOnlySpan<T> input, Span<T> output, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inSize = widths[layer], outSize = widths[layer + 1];
        int w = weightOffsets[layer];
        DenseLayer.Forward(input, theta.Slice(w, outSize * inSize), theta.Slice(w + outSize * inSize, outSize), output, batch, inSize, outSize);
    }
}
