using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Sequences;

/// <summary>Solver settings of a <see cref="LatentOde"/>'s latent solve.</summary>
public sealed record LatentOdeSettings
{
    /// <summary>Solver of the latent ODE (Dormand–Prince by default).</summary>
    public IOdeSolver Solver { get; init; } = Solvers.Dopri5;
    /// <summary>Tolerances and limits of the latent solve.</summary>
    public SolverOptions SolverOptions { get; init; } = new() { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-4 };
    /// <summary>How the ELBO's gradient flows through the solve (direct backpropagation by default).</summary>
    public GradientMethod Gradient { get; init; } = GradientMethod.Direct;
    /// <summary>σ of the Gaussian observation model <c>p(x | z) = N(decoder(z), σ² I)</c>.</summary>
    public double ObservationStd { get; init; } = 0.3;
}

/// <summary>What <see cref="LatentOde.Elbo"/> computed for one batch.</summary>
/// <param name="Terms">The ELBO's terms per trajectory.</param>
/// <param name="Prediction">Decoded observations on the batch's grid, <c>[T, batch, n]</c>, from the sampled z₀.</param>
/// <param name="Posterior">q(z₀ | x).</param>
/// <param name="ForwardEvaluations">Rate evaluations of the latent solve.</param>
public sealed record LatentOdeOutput(ElboTerms Terms, Tensor Prediction, Posterior Posterior, int ForwardEvaluations) : IDisposable
{
    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Terms.Dispose();
        Prediction.Dispose();
        Posterior.Dispose();
    }
}

/// <summary>
/// The latent ODE of Chen et al. (2018, §5) and Rubanova et al. (2019): an encoder gives <c>q(z₀ | x)</c> from a row's own
/// irregular observations, a latent ODE <c>dz/dt = f(z)</c> (any <see cref="OdeModel"/>, e.g. a DSL model with a
/// <c>[Neural]</c> term) carries z₀ to every time of the batch's union grid in <b>one</b> batched solve, and a decoder maps
/// <c>z(t)</c> to the mean of a Gaussian observation; training maximises the ELBO (<see cref="GaussianElbo"/>).
/// </summary>
/// <remarks>Submodules: <c>encoder</c>, <c>dynamics</c>, <c>decoder</c> (in <c>parameters()</c>, so one optimizer trains all three).</remarks>
public sealed class LatentOde : nn.Module
{
    readonly GruEncoder encoder;
    readonly OdeModel dynamics;
    readonly nn.Module<Tensor, Tensor> decoder;

    /// <summary>Combines the three parts; the encoder's latent size must equal the dynamics' state size.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="encoder">Recognition network q(z₀ | x).</param>
    /// <param name="dynamics">Latent vector field; its state is z (no augmented states, no inputs).</param>
    /// <param name="decoder">Maps <c>[…, d]</c> latent states to <c>[…, n]</c> observation means.</param>
    /// <param name="settings">Solver and observation-noise settings (defaults when null).</param>
    public LatentOde(string name, GruEncoder encoder, OdeModel dynamics, nn.Module<Tensor, Tensor> decoder, LatentOdeSettings? settings = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(decoder);
        if (encoder.LatentSize != dynamics.Layout.StateSize)
            throw new ArgumentException(
                $"The encoder gives a {encoder.LatentSize}-dimensional z₀ but the dynamics have {dynamics.Layout.StateSize} states; " +
                "build the encoder with latentSize = dynamics.Layout.StateSize.", nameof(encoder));
        if (dynamics.Layout.InputSize != 0)
            throw new ArgumentException("Latent dynamics with [Input] fields are not supported: z₀ is the only per-trajectory quantity.", nameof(dynamics));
        Settings = settings ?? new LatentOdeSettings();
        if (!(Settings.ObservationStd > 0) || !double.IsFinite(Settings.ObservationStd))
            throw new ArgumentOutOfRangeException(nameof(settings), Settings.ObservationStd, "LatentOdeSettings.ObservationStd must be finite and greater than 0.");
        (this.encoder, this.dynamics, this.decoder) = (encoder, dynamics, decoder);
        RegisterComponents();
    }

    /// <summary>The settings.</summary>
    public LatentOdeSettings Settings { get; }
    /// <summary>The recognition network.</summary>
    public GruEncoder Encoder => encoder;
    /// <summary>The latent vector field.</summary>
    public OdeModel Dynamics => dynamics;
    /// <summary>Dimension of z.</summary>
    public int LatentSize => encoder.LatentSize;

    /// <summary>
    /// Encodes the batch, draws z₀ ~ q with the reparameterisation trick, solves once on the union grid and scores the
    /// masked observations: call <c>output.Terms.NegativeElbo().backward()</c> to train.
    /// </summary>
    /// <param name="batch">Observations on a union grid (<see cref="IrregularBatch.Build"/>).</param>
    /// <param name="generator">Source of the reparameterisation noise (torch's global generator when null).</param>
    public LatentOdeOutput Elbo(IrregularBatch batch, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckBatch(batch);
        using var scope = NewDisposeScope();
        var posterior = encoder.Encode(batch);
        var z0 = posterior.Sample(generator);
        var (prediction, nfe) = Decode(z0, batch.Times);
        var terms = GaussianElbo.Evaluate(prediction, batch.Values, batch.Mask, Settings.ObservationStd, posterior);
        var output = new LatentOdeOutput(terms, prediction, posterior, nfe);
        foreach (var t in new[] { terms.LogLikelihood, terms.Kl, prediction, posterior.Mean, posterior.LogVariance }) t.MoveToOuterDisposeScope();
        return output;
    }

    /// <summary>
    /// Reconstruction and extrapolation: decodes from the posterior mean of z₀ (no sampling) at <paramref name="times"/>
    /// (<c>[T]</c>, increasing, starting at the batch's origin; they may run past the observations), <c>[T, batch, n]</c>.
    /// </summary>
    public Tensor Predict(IrregularBatch batch, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(times);
        CheckBatch(batch);
        using var scope = NewDisposeScope();
        var posterior = encoder.Encode(batch);
        return Decode(posterior.Mean, times).Prediction.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Generation: <paramref name="count"/> trajectories decoded from z₀ ~ N(0, I) at <paramref name="times"/> (<c>[T]</c>),
    /// <c>[T, count, n]</c>.
    /// </summary>
    public Tensor SampleFromPrior(int count, Tensor times, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Draw at least one trajectory.");
        using var scope = NewDisposeScope();
        var z0 = randn([count, LatentSize], dynamics.DType, dynamics.Device, generator: generator);
        return Decode(z0, times).Prediction.MoveToOuterDisposeScope();
    }

    /// <summary>z(t) at <paramref name="times"/> from <paramref name="z0"/> by one batched solve, decoded: <c>[T, batch, n]</c>.</summary>
    public (Tensor Prediction, int ForwardEvaluations) Decode(Tensor z0, Tensor times)
    {
        ArgumentNullException.ThrowIfNull(z0);
        ArgumentNullException.ThrowIfNull(times);
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(dynamics, z0, times, Settings.Solver, Settings.SolverOptions, Settings.Gradient);
        return (decoder.forward(solution.Ys).MoveToOuterDisposeScope(), solution.Stats.FunctionEvaluations);
    }

    void CheckBatch(IrregularBatch batch)
    {
        if (batch.Values.shape[2] != encoder.ObservedSize)
            throw new ArgumentException(
                $"The batch has {batch.Values.shape[2]} observed components but the encoder expects {encoder.ObservedSize}.", nameof(batch));
        if (batch.Values.dtype != dynamics.DType)
            throw new ArgumentException(
                $"The batch is {batch.Values.dtype} but the model is {dynamics.DType}; build the batch with dtype {dynamics.DType}.", nameof(batch));
    }
}
