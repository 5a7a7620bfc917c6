using NodeDsl.Examples;

namespace SurrogateConsumer;

/// <summary>The example's command line: only <c>--output</c> and <c>--help</c>, because it trains nothing (no <c>--quick</c>).</summary>
public static class ConsumerCommandLine
{
    /// <summary>SurrogateConsumer [--output DIR]; the settings are the output folder.</summary>
    public static ExampleCommand<string> Command { get; } = new(
        "Uses the damped-oscillator surrogate from examples/SurrogateLibrary without any training code: metadata, " +
        "predictions against the closed form, and the range check for a damping ratio outside the trained range.",
        Path.Combine("out", "surrogate-consumer"),
        quickDescription: null,
        [],
        a => a.OutputDirectory);
}
