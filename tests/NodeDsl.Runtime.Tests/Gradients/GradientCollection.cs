namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// The gradient tests run one at a time, after the parallel tests: the memory test measures process-wide native heap,
/// and TorchSharp 0.107's implicit double → Scalar temporaries can be freed by a GC that another test thread triggers
/// in the middle of a native call (docs/notes/torchsharp-scalar-gc-race.md; NodeDsl's own code has none left, ScalarTemporaryTests,
/// but test code and TorchSharp's do).
/// </summary>
[CollectionDefinition(nameof(GradientCollection), DisableParallelization = true)]
public sealed class GradientCollection;
