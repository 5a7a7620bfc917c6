namespace NodeDsl.Runtime;

/// <summary>The rules of a solve's output times, shared by <c>Ode.Solve</c> and prediction without libtorch.</summary>
internal static class TimeRules
{
    /// <summary>Throws an <see cref="OdeArgumentException"/> unless <paramref name="times"/> are finite and strictly monotone.</summary>
    public static void Check(ReadOnlySpan<double> times, string name)
    {
        for (int i = 0; i < times.Length; i++)
            if (!double.IsFinite(times[i]))
                throw new OdeArgumentException($"{name}[{i}] = {times[i]} is not finite.", name);
        if (times.Length < 2) return;
        int direction = Math.Sign(times[1] - times[0]);
        for (int i = 1; i < times.Length; i++)
            if (Math.Sign(times[i] - times[i - 1]) != direction || direction == 0)
                throw new OdeArgumentException(
                    $"{name} must be strictly increasing or strictly decreasing, but {name}[{i - 1}] = {times[i - 1]:R} and {name}[{i}] = {times[i]:R}. " +
                    "Sort the times and drop duplicates.", name);
    }
}
