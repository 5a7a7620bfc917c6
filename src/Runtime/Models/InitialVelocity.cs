using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Initial values of the latent velocities of a second-order model (<c>[Velocity(nameof(x), Latent = true)]</c>), where
/// only positions are observed (Norcliffe et al. 2020, §4: the initial velocity is either estimated from the data or
/// produced by a learned encoder of the first observations). <see cref="OdeModel.Augment"/> alone starts them at zero.
/// </summary>
public static class InitialVelocity
{
    /// <summary>
    /// Estimates x'(t₀) from the first three observations: the derivative at t₀ of the quadratic through (t₀, x₀), (t₁, x₁),
    /// (t₂, x₂), a second-order one-sided difference valid on non-uniform grids ((−3x₀ + 4x₁ − x₂)/(2h) for a uniform step h).
    /// </summary>
    /// <param name="positions">Observed positions, <c>[batch, T, n]</c> with T ≥ 3.</param>
    /// <param name="times">The observation times t₀ &lt; t₁ &lt; t₂ … (at least three).</param>
    /// <returns>The velocity estimates, <c>[batch, n]</c>.</returns>
    public static Tensor FromObservations(Tensor positions, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(times);
        if (positions.dim() != 3 || positions.shape[1] < 3 || times.Count < 3)
            throw new ArgumentException($"Estimating a velocity needs at least three observations: positions must be [batch, T ≥ 3, n] (got [{string.Join(", ", positions.shape)}]) with as many times (got {times.Count}).", nameof(positions));
        double h1 = times[1] - times[0], h2 = times[2] - times[0];
        if (!(h1 > 0 && h2 > h1))
            throw new ArgumentException($"Observation times must increase (got {times[0]}, {times[1]}, {times[2]}).", nameof(times));
        double c0 = -(h1 + h2) / (h1 * h2), c1 = h2 / (h1 * (h2 - h1)), c2 = -h1 / (h2 * (h2 - h1));
        using var scope = NewDisposeScope();
        var x0 = positions.select(1, 0);
        var x1 = positions.select(1, 1);
        var x2 = positions.select(1, 2);
        using Scalar s0 = c0.ToScalar(), s1 = c1.ToScalar(), s2 = c2.ToScalar(); // kept alive across the native calls: docs/notes/torchsharp-scalar-gc-race.md
        return x0.mul(s0).add(x1.mul(s1), ScalarOps.One).add(x2.mul(s2), ScalarOps.One).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The latent velocities of a model estimated from its first three observations (<see cref="FromObservations"/> applied
    /// to the position of each latent velocity, named by <see cref="StateInfo.Position"/>), in layout order.
    /// </summary>
    /// <param name="layout">The layout of a model with latent velocities.</param>
    /// <param name="observed">The observed states, <c>[batch, T ≥ 3, ObservedSize]</c>.</param>
    /// <param name="times">Their times (at least three, increasing).</param>
    /// <returns><c>[batch, total size of the latent velocities]</c>.</returns>
    public static Tensor LatentFromObservations(ModelLayout layout, Tensor observed, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(observed);
        var latent = LatentVelocities(layout);
        if (observed.dim() != 3 || observed.shape[2] != layout.ObservedSize)
            throw new ArgumentException($"observed must be [batch, T, {layout.ObservedSize}] but is [{string.Join(", ", observed.shape)}].", nameof(observed));
        using var scope = NewDisposeScope();
        var positions = latent.Select(v => layout.State(v.Position ?? throw new ArgumentException(
            $"The latent velocity '{v.Name}' names no position (StateInfo.Position); the generator sets it for [Velocity] fields.", nameof(layout))));
        var columns = positions.Select(p => observed.narrow(2, p.Offset, p.Size)).ToList();
        var stacked = columns.Count == 1 ? columns[0] : cat(columns, 2);
        return FromObservations(stacked, times).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The full initial state of <paramref name="model"/>: the observed components, then <paramref name="latentVelocities"/>
    /// in the columns of its latent velocities (in layout order), zeros for any other unobserved state.
    /// </summary>
    /// <param name="model">A second-order model with latent velocities.</param>
    /// <param name="observed">The observed initial state, <c>[batch, ObservedSize]</c>.</param>
    /// <param name="latentVelocities">The latent velocities, <c>[batch, total size of the latent velocities]</c>.</param>
    public static Tensor State(OdeModel model, Tensor observed, Tensor latentVelocities)
    {
        ArgumentNullException.ThrowIfNull(model);
        return State(model.Layout, observed, latentVelocities);
    }

    /// <inheritdoc cref="State(OdeModel, Tensor, Tensor)"/>
    /// <param name="layout">The layout of a second-order model with latent velocities.</param>
    /// <param name="observed">The observed initial state, <c>[batch, ObservedSize]</c>.</param>
    /// <param name="latentVelocities">The latent velocities, <c>[batch, total size of the latent velocities]</c>.</param>
    public static Tensor State(ModelLayout layout, Tensor observed, Tensor latentVelocities)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(latentVelocities);
        var latent = LatentVelocities(layout);
        int width = latent.Sum(s => s.Size);
        if (observed.dim() != 2 || observed.shape[1] != layout.ObservedSize)
            throw new ArgumentException($"observed must be [batch, {layout.ObservedSize}] but is [{string.Join(", ", observed.shape)}].", nameof(observed));
        if (latentVelocities.dim() != 2 || latentVelocities.shape[1] != width || latentVelocities.shape[0] != observed.shape[0])
            throw new ArgumentException(
                $"latentVelocities must be [batch, {width}] ({string.Join(", ", latent.Select(s => s.Name))}) with the batch of observed ({observed.shape[0]}) but is [{string.Join(", ", latentVelocities.shape)}].",
                nameof(latentVelocities));
        using var scope = NewDisposeScope();
        int start = latent[0].Offset;
        var parts = new List<Tensor> { observed.narrow(1, 0, start), latentVelocities.to(observed.dtype, observed.device) };
        // Latent velocities follow the observed states; anything after them (none today) starts at zero.
        int rest = layout.StateSize - start - width;
        if (rest > 0) parts.Add(zeros(observed.shape[0], rest, observed.dtype, observed.device));
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The latent-velocity blocks of <paramref name="layout"/>, contiguous after the observed states; throws when there are none.</summary>
    internal static List<StateInfo> LatentVelocities(ModelLayout layout)
    {
        var latent = layout.States.Where(s => s.Kind == StateKind.LatentVelocity).ToList();
        if (latent.Count == 0)
            throw new ArgumentException("The model has no latent velocities ([Velocity(nameof(x), Latent = true)]); use OdeModel.Augment for its initial state.", nameof(layout));
        return latent;
    }
}

/// <summary>
/// A learned encoder of the first observations to the latent initial velocities of a second-order model (Norcliffe et
/// al. 2020, §4): a perceptron from the first <see cref="Observations"/> observed states (flattened) to the velocities.
/// Train its parameters together with the model's.
/// </summary>
public sealed class VelocityEncoder : nn.Module<Tensor, Tensor>
{
    readonly Mlp network;

    /// <summary>Creates the encoder for <paramref name="model"/>, reading the first <paramref name="observations"/> observations.</summary>
    /// <param name="model">The second-order model whose latent velocities it predicts (sizes, dtype and device).</param>
    /// <param name="observations">How many leading observations it reads (at least one).</param>
    /// <param name="hiddenSizes">Hidden layer widths.</param>
    /// <param name="seed">Seed of its initial weights.</param>
    public VelocityEncoder(OdeModel model, int observations, IReadOnlyList<int> hiddenSizes, long seed = 0) : base(nameof(VelocityEncoder))
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (observations < 1) throw new ArgumentOutOfRangeException(nameof(observations), observations, "The encoder reads at least one observation.");
        int width = model.Layout.States.Where(s => s.Kind == StateKind.LatentVelocity).Sum(s => s.Size);
        if (width == 0)
            throw new ArgumentException($"{model.GetName()} has no latent velocities ([Velocity(nameof(x), Latent = true)]) to encode.", nameof(model));
        Observations = observations;
        ObservedSize = model.Layout.ObservedSize;
        LatentSize = width;
        network = SeededConstruction.CreateWithGenerator(seed, 0, () =>
            new Mlp("encoder", observations * ObservedSize, hiddenSizes, width, Activation.Tanh, model.DType, model.Device));
        RegisterComponents();
    }

    /// <summary>Number of leading observations the encoder reads.</summary>
    public int Observations { get; }

    /// <summary>Observed components per observation.</summary>
    public int ObservedSize { get; }

    /// <summary>Number of latent velocity components it predicts.</summary>
    public int LatentSize { get; }

    /// <summary>The latent velocities from the first observations: <paramref name="observed"/> is <c>[batch, T ≥ Observations, ObservedSize]</c>.</summary>
    public override Tensor forward(Tensor observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (observed.dim() != 3 || observed.shape[1] < Observations || observed.shape[2] != ObservedSize)
            throw new ArgumentException($"The encoder reads [batch, T ≥ {Observations}, {ObservedSize}] observations but got [{string.Join(", ", observed.shape)}].", nameof(observed));
        using var scope = NewDisposeScope();
        var first = observed.narrow(1, 0, Observations).reshape(observed.shape[0], Observations * ObservedSize);
        return network.forward(first).MoveToOuterDisposeScope();
    }
}
