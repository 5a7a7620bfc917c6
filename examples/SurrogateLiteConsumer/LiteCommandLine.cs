using NodeDsl.Examples;

namespace SurrogateLiteConsumer;

/// <summary>What the libtorch-free consumer is asked to do.</summary>
/// <param name="OutputDirectory">Where the predictions table goes.</param>
/// <param name="FirstOnly">Print the first prediction and stop (the cold-start measurement, bench/SurrogateColdStart).</param>
public sealed record LiteOptions(string OutputDirectory, bool FirstOnly);

/// <summary>The example's command line: <c>--output</c>, <c>--first-only</c> and <c>--help</c>; it trains nothing (no <c>--quick</c>).</summary>
public static class LiteCommandLine
{
    static readonly System.CommandLine.Option<bool> FirstOnly =
        ExampleOptions.Flag("--first-only", "Print the first prediction and exit (for timing the cold start).");

    /// <summary>SurrogateLiteConsumer [--output DIR] [--first-only].</summary>
    public static ExampleCommand<LiteOptions> Command { get; } = new(
        "Uses the damped-oscillator surrogate without libtorch (examples/SurrogateLiteLibrary: NodeDsl.Prediction and the " +
        "model's native kernels): predictions against the closed form and the range check.",
        Path.Combine("out", "surrogate-consumer-lite"),
        quickDescription: null,
        [FirstOnly],
        a => new LiteOptions(a.OutputDirectory, a.Get(FirstOnly)));
}
