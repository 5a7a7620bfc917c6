namespace NodeDsl.Runtime.Ensembles;

/// <summary>
/// The Gaussian predictive distribution of an ensemble at <c>T</c> times for <c>n</c> states (Pearce et al. 2018,
/// Algorithm 1): mean <c>ȳ = (1/M) Σⱼ ŷⱼ</c> and variance <c>σ² = (1/(M−1)) Σⱼ (ŷⱼ − ȳ)² + σ_ε²</c>: the members'
/// spread (epistemic; 0 for a single member) plus the observation noise, since held-out data are noisy too.
/// </summary>
/// <param name="Mean">ȳ, <c>[T, n]</c>.</param>
/// <param name="EpistemicVariance">The members' unbiased sample variance, <c>[T, n]</c>.</param>
/// <param name="NoiseVariance">σ_ε² per state.</param>
public sealed record PredictiveDistribution(double[,] Mean, double[,] EpistemicVariance, IReadOnlyList<double> NoiseVariance)
{
    /// <summary>Number of times T.</summary>
    public int Times => Mean.GetLength(0);
    /// <summary>Number of states n.</summary>
    public int States => Mean.GetLength(1);

    /// <summary>σ, the predictive standard deviation <c>√(epistemic + σ_ε²)</c>, <c>[T, n]</c>.</summary>
    public double[,] StdDev
    {
        get
        {
            var sd = new double[Times, States];
            for (int i = 0; i < Times; i++)
                for (int k = 0; k < States; k++) sd[i, k] = System.Math.Sqrt(EpistemicVariance[i, k] + NoiseVariance[k]);
            return sd;
        }
    }

    /// <summary>
    /// The distribution of the first <paramref name="count"/> members (all when null) of <paramref name="members"/>
    /// <c>[M, T, n]</c>, with the same noise variance <paramref name="noiseVariance"/> on every state.
    /// </summary>
    public static PredictiveDistribution FromMembers(double[,,] members, double noiseVariance, int? count = null)
        => FromMembers(members, Enumerable.Repeat(noiseVariance, members?.GetLength(2) ?? 0).ToArray(), count);

    /// <summary>As <see cref="FromMembers(double[,,], double, int?)"/> with one noise variance per state.</summary>
    public static PredictiveDistribution FromMembers(double[,,] members, IReadOnlyList<double> noiseVariance, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(noiseVariance);
        int m = count ?? members.GetLength(0), t = members.GetLength(1), n = members.GetLength(2);
        if (m < 1 || m > members.GetLength(0))
            throw new ArgumentOutOfRangeException(nameof(count), $"Use between 1 and {members.GetLength(0)} members, not {m}.");
        if (noiseVariance.Count != n || noiseVariance.Any(v => !(v >= 0 && double.IsFinite(v))))
            throw new ArgumentException($"Give {n} non-negative finite noise variances, one per state.", nameof(noiseVariance));
        var mean = new double[t, n];
        var variance = new double[t, n];
        for (int i = 0; i < t; i++)
            for (int k = 0; k < n; k++)
            {
                double sum = 0;
                for (int j = 0; j < m; j++) sum += members[j, i, k];
                double mu = sum / m, squares = 0;
                for (int j = 0; j < m; j++) squares += (members[j, i, k] - mu) * (members[j, i, k] - mu);
                mean[i, k] = mu;
                variance[i, k] = m > 1 ? squares / (m - 1) : 0.0;
            }
        return new PredictiveDistribution(mean, variance, noiseVariance.ToArray());
    }

    /// <summary>
    /// Coverage per state: the fraction of observations <c>[T, n]</c> (at this distribution's times; NaN = not
    /// observed, skipped) inside <c>mean ± k·σ</c>. NaN for a state without observations. For a calibrated Gaussian
    /// and k = 2 it is about 0.954.
    /// </summary>
    public double[] Coverage(double[,] observations, double k = 2.0)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.GetLength(0) != Times || observations.GetLength(1) != States)
            throw new ArgumentException($"Observations are [{observations.GetLength(0)}, {observations.GetLength(1)}] but the prediction is [{Times}, {States}].", nameof(observations));
        if (!(k > 0)) throw new ArgumentOutOfRangeException(nameof(k), $"k must be positive, not {k}.");
        var sd = StdDev;
        var result = new double[States];
        for (int s = 0; s < States; s++)
        {
            int inside = 0, total = 0;
            for (int i = 0; i < Times; i++)
            {
                double y = observations[i, s];
                if (double.IsNaN(y)) continue;
                total++;
                if (System.Math.Abs(y - Mean[i, s]) <= k * sd[i, s]) inside++;
            }
            result[s] = total == 0 ? double.NaN : (double)inside / total;
        }
        return result;
    }

    /// <summary>Mean of σ over the times, per state (the average half-width of the ±1σ band).</summary>
    public double[] MeanStdDev()
    {
        var sd = StdDev;
        return Enumerable.Range(0, States).Select(s => Enumerable.Range(0, Times).Average(i => sd[i, s])).ToArray();
    }
}
