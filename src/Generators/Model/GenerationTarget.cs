namespace NodeDsl.Generators.Model;

/// <summary>
/// What the compilation builds against, reduced to one equatable value before it meets the models (no symbols are
/// cached): the TorchSharp runtime, or NodeDsl.Prediction alone (a library that only predicts without libtorch), where
/// only the native kernels and the prediction layout of each model are emitted.
/// </summary>
internal enum GenerationTarget
{
    /// <summary>NodeDsl.Runtime is referenced (or nothing decides otherwise): the full TorchSharp model.</summary>
    Runtime,

    /// <summary>NodeDsl.Prediction is referenced and NodeDsl.Runtime is not: native kernels only.</summary>
    Prediction,
}

internal static class GenerationTargets
{
    const string RuntimeAssembly = "NodeDsl.Runtime";
    const string PredictionAssembly = "NodeDsl.Prediction";

    /// <summary>The target of <paramref name="compilation"/>, from the names of its referenced assemblies.</summary>
    public static GenerationTarget Of(Compilation compilation)
    {
        bool runtime = false, prediction = false;
        foreach (var identity in compilation.ReferencedAssemblyNames)
        {
            runtime |= identity.Name == RuntimeAssembly;
            prediction |= identity.Name == PredictionAssembly;
        }
        return prediction && !runtime ? GenerationTarget.Prediction : GenerationTarget.Runtime;
    }
}

/// <summary>A model that cannot be built for prediction without libtorch: its name, why, and where it is declared.</summary>
internal sealed record PredictionRejection(string ClassName, string Reason, LocationInfo? Location);
