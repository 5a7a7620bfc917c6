using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Seeded construction of networks: each construction gets its own <c>torch.Generator</c>, seeded from
/// <c>hash(seed, index)</c>, so two models built with the same seed have identical weights whatever other threads do.
/// </summary>
/// <remarks>
/// <para>The built-in networks (<see cref="Mlp"/>, <c>EnsembleMlp</c>) draw their initial weights from
/// <see cref="Current"/>, the generator of the construction running on this thread, and never touch torch's global
/// generator: build them with <see cref="CreateWithGenerator"/>, which generated models do.</para>
/// <para>TorchSharp's own layers (<c>nn.Linear</c>, <c>nn.Conv1d</c>, … inside a custom <c>[Neural(typeof(…))]</c> block)
/// can only initialise from the global generator. <see cref="Create"/> therefore also seeds the global generator for the
/// duration of the constructor, under a process-wide lock, and restores its state afterwards. Library code never draws
/// from the global generator otherwise (the trainer does not reseed it), so only user code that draws from it on
/// another thread at the same moment (e.g. dropout) can see the seeded stream or perturb a custom block's weights.</para>
/// </remarks>
public static class SeededConstruction
{
    static readonly object Gate = new();

    [ThreadStatic] static Generator? current;

    /// <summary>
    /// The generator of the seeded construction running on this thread, or null outside one. Networks draw their
    /// initial weights from it (on the CPU, in their own dtype, then move them), so equal seeds give equal weights on any device.
    /// </summary>
    public static Generator? Current => current;

    /// <summary>The seed of submodule <paramref name="index"/> of a model seeded with <paramref name="seed"/>.</summary>
    public static long SubmoduleSeed(long seed, int index) => unchecked(seed * 1_000_003L + index);

    /// <summary>
    /// Constructs with <see cref="Current"/> set to a generator seeded with <see cref="SubmoduleSeed"/>; the global
    /// generator is neither read nor changed. For constructors that draw only from <see cref="Current"/> (the built-in networks).
    /// </summary>
    public static T CreateWithGenerator<T>(long seed, int index, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var outer = current;
        using var generator = new Generator(unchecked((ulong)SubmoduleSeed(seed, index)), CPU);
        current = generator;
        try { return create(); }
        finally { current = outer; }
    }

    /// <summary>
    /// Constructs like <see cref="CreateWithGenerator"/> and, for TorchSharp layers that initialise from the global
    /// generator, also seeds the global generator with the same seed under a lock, restoring its state afterwards.
    /// </summary>
    public static T Create<T>(long seed, int index, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate)
        {
            using var saved = random.get_rng_state();
            try
            {
                random.manual_seed(SubmoduleSeed(seed, index));
                return CreateWithGenerator(seed, index, create);
            }
            finally
            {
                random.set_rng_state(saved);
            }
        }
    }
}
