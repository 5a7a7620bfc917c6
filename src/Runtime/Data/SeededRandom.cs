namespace NodeDsl.Runtime.Data;

/// <summary>
/// A small seeded random generator (xoshiro256**, seeded by SplitMix64) whose whole state can be read and restored,
/// so a training run resumed from a checkpoint draws exactly the same windows and probes as an uninterrupted one.
/// </summary>
public sealed class SeededRandom
{
    ulong s0, s1, s2, s3;

    /// <summary>Creates a generator from a seed; equal seeds give equal streams.</summary>
    public SeededRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>The four state words; pass them to <see cref="SetState"/> to continue the stream.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3];

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(IReadOnlyList<ulong> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 4) throw new ArgumentException($"A SeededRandom state has 4 words, not {state.Count}.", nameof(state));
        if (state.All(w => w == 0)) throw new ArgumentException("An all-zero state is not a valid xoshiro256** state.", nameof(state));
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), "Must be positive.");
        ulong bound = (ulong)maxExclusive;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;   // reject the incomplete last block
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int NextInt(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"max ({max}) < min ({min}).");
        return min + NextInt(max - min + 1);
    }

    /// <summary>A standard normal sample (Box–Muller; one sample per call, so the state stays four words).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();   // (0, 1]: log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>+1 or −1 with equal probability.</summary>
    public double NextRademacher() => (NextUInt64() >> 63) == 0 ? 1.0 : -1.0;

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
