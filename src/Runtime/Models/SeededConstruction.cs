using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Runs module constructors under a fixed seed without disturbing the global random stream: TorchSharp layers
/// initialise from the global generator, so its state is saved, reseeded and restored around the constructor.
/// </summary>
public static class SeededConstruction
{
    static readonly object Gate = new();

    /// <summary>Constructs with seed <c>hash(seed, index)</c>, so every submodule of a model gets its own stream.</summary>
    public static T Create<T>(long seed, int index, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate)
        {
            using var saved = random.get_rng_state();
            try
            {
                random.manual_seed(unchecked(seed * 1_000_003L + index));
                return create();
            }
            finally
            {
                random.set_rng_state(saved);
            }
        }
    }
}
