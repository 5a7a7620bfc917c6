using NodeDsl.Runtime;
using NodeDsl.Runtime.Sequences;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentOdeSpirals;

/// <summary>What the experiment trains and evaluates: the latent ODE or the RNN baseline.</summary>
public interface ISequenceModel
{
    /// <summary>Display name.</summary>
    string Name { get; }
    /// <summary>The trainable parameters.</summary>
    IEnumerable<Parameter> Parameters { get; }
    /// <summary>The ELBO's terms for a batch and the forward NFE (0 without a solver).</summary>
    (ElboTerms Terms, int ForwardEvaluations) Elbo(IrregularBatch batch, Generator generator);
    /// <summary>Decoded trajectories from the posterior mean at <paramref name="times"/>, <c>[T, batch, 2]</c>.</summary>
    Tensor Predict(IrregularBatch batch, Tensor times);
}

/// <summary>The latent ODE (runtime's <see cref="LatentOde"/>) behind <see cref="ISequenceModel"/>.</summary>
public sealed class LatentOdeModel(LatentOde model) : ISequenceModel
{
    /// <summary>The wrapped model.</summary>
    public LatentOde Model { get; } = model;
    /// <inheritdoc />
    public string Name => "latent ODE";
    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters => Model.parameters();

    /// <inheritdoc />
    public (ElboTerms Terms, int ForwardEvaluations) Elbo(IrregularBatch batch, Generator generator)
    {
        var output = Model.Elbo(batch, generator);
        output.Prediction.Dispose();
        output.Posterior.Dispose();
        return (output.Terms, output.ForwardEvaluations);
    }

    /// <inheritdoc />
    public Tensor Predict(IrregularBatch batch, Tensor times) => Model.Predict(batch, times);
}

/// <summary>
/// The RNN baseline (an RNN-VAE, Chen et al. 2018 §5, Rubanova et al. 2019 §4): the same encoder and ELBO as the latent
/// ODE, but z₀ is decoded by a GRU that steps from one output time to the next, reading the time gap, instead of by an
/// ODE solve: <c>h₀ = tanh(W z₀ + b)</c>, <c>h_k = GRU(t_k − t_{k−1}, h_{k−1})</c>, <c>x̂_k = Linear(h_k)</c>.
/// </summary>
public sealed class RnnVae : nn.Module, ISequenceModel
{
    readonly GruEncoder encoder;
    readonly Linear initial;
    readonly GRUCell cell;
    readonly Linear output;
    readonly double observationStd;

    /// <summary>Creates the baseline with a decoder GRU of <paramref name="hiddenSize"/> units, seeded by <paramref name="seed"/>.</summary>
    public RnnVae(GruEncoder encoder, int hiddenSize, double observationStd, long seed, ScalarType dtype, Device device) : base("rnn-vae")
    {
        this.encoder = encoder;
        this.observationStd = observationStd;
        // TorchSharp's layers initialise from the global generator: Create seeds it for each constructor.
        initial = SeededConstruction.Create(seed, 10, () => nn.Linear(encoder.LatentSize, hiddenSize, device: device, dtype: dtype));
        cell = SeededConstruction.Create(seed, 11, () => nn.GRUCell(1, hiddenSize, device: device, dtype: dtype));
        output = SeededConstruction.Create(seed, 12, () => nn.Linear(hiddenSize, encoder.ObservedSize, device: device, dtype: dtype));
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Name => "RNN";
    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters => parameters();

    /// <inheritdoc />
    public (ElboTerms Terms, int ForwardEvaluations) Elbo(IrregularBatch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var posterior = encoder.Encode(batch);
        var prediction = Decode(posterior.Sample(generator), batch.Times);
        var terms = GaussianElbo.Evaluate(prediction, batch.Values, batch.Mask, observationStd, posterior);
        terms.LogLikelihood.MoveToOuterDisposeScope();
        terms.Kl.MoveToOuterDisposeScope();
        return (terms, 0);
    }

    /// <inheritdoc />
    public Tensor Predict(IrregularBatch batch, Tensor times)
    {
        using var scope = NewDisposeScope();
        return Decode(encoder.Encode(batch).Mean, times).MoveToOuterDisposeScope();
    }

    Tensor Decode(Tensor z0, Tensor times)
    {
        using var scope = NewDisposeScope();
        var h = initial.forward(z0).tanh();
        var outputs = new List<Tensor> { output.forward(h) };
        // ScalarOps keeps the subtraction's Scalar alive (docs/notes/torchsharp-scalar-gc-race.md).
        var gaps = ScalarOps.Sub(times.narrow(0, 1, times.shape[0] - 1), times.narrow(0, 0, times.shape[0] - 1), 1.0);
        for (long k = 0; k < gaps.shape[0]; k++)
        {
            h = cell.forward(gaps[k].expand(z0.shape[0], 1), h);
            outputs.Add(output.forward(h));
        }
        return stack(outputs).MoveToOuterDisposeScope();
    }
}
