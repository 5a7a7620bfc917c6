using System.Reflection;
using NodeDsl.Runtime.Training;
using TorchSharp;

namespace NodeDsl.Runtime.Export;

/// <summary><c>model.SaveWeights(path, metadata)</c> and <c>model.LoadWeights(path)</c>.</summary>
public static class WeightFileExtensions
{
    /// <summary>
    /// Writes every parameter and buffer of <paramref name="model"/> with <paramref name="metadata"/> to a weight file,
    /// atomically. The model type, parameter list, NodeDsl version and (when null) creation time are filled in here.
    /// For an <see cref="OdeModel"/>, the metadata must have one state range per observed component and one input range per input component (or none).
    /// Metadata that a reader would reject (NaN tolerances, a step size that cannot cover the time range, …) is refused here, before writing.
    /// </summary>
    /// <exception cref="ArgumentException">The metadata does not fit the model or breaks a rule of <see cref="WeightFile"/> metadata (the message names the field).</exception>
    /// <returns>The metadata as written.</returns>
    public static WeightMetadata SaveWeights(this torch.nn.Module model, string path, WeightMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        metadata ??= new WeightMetadata();
        if (model is IDescribedSystem described) CheckRangeCounts(described.Layout, metadata);
        var tensors = NamedTensors.Capture(model);
        var complete = metadata with
        {
            ModelType = model.GetType().FullName ?? model.GetType().Name,
            Parameters = tensors.Select(t => new ParameterDescription(t.Name, t.Shape, t.DType.ToString())).ToArray(),
            NodeDslVersion = RuntimeVersion,
            Created = metadata.Created ?? DateTimeOffset.UtcNow,
        };
        WeightFile.Write(path, complete, tensors);
        return complete;
    }

    /// <summary>
    /// Loads a weight file into <paramref name="model"/>. Nothing is changed unless the whole file is valid and every
    /// parameter's name, shape and dtype matches; the parameter list is compared with the model before any tensor data
    /// is read, so a file never makes the load allocate more than the model's own size.
    /// </summary>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="WeightFileException">The file is invalid, or the first mismatching parameter (missing, shape, dtype, extra).</exception>
    public static WeightMetadata LoadWeights(this torch.nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var reader = WeightFile.Open(path);
        return Load(model, reader);
    }

    /// <summary>Loads a weight file read from <paramref name="stream"/> (e.g. an embedded resource) into <paramref name="model"/>.</summary>
    /// <inheritdoc cref="LoadWeights(torch.nn.Module, string)"/>
    public static WeightMetadata LoadWeights(this torch.nn.Module model, Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var reader = WeightFileReader.Open(stream, source);
        return Load(model, reader);
    }

    /// <summary>Loads already read weights into <paramref name="model"/> after checking that they fit.</summary>
    public static WeightMetadata LoadWeights(this torch.nn.Module model, WeightFile file, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        if (NamedTensors.FirstMismatch(file.Tensors, model, $"Weight file '{source}'", "weight file") is { } mismatch)
            throw new WeightFileException(DoesNotFit(mismatch, file.Metadata));
        NamedTensors.Restore(file.Tensors, model);
        return file.Metadata;
    }

    /// <summary>Checks the metadata's parameter list against <paramref name="model"/>, then reads the tensors and copies them.</summary>
    internal static WeightMetadata Load(torch.nn.Module model, WeightFileReader reader)
    {
        if (NamedTensors.FirstMismatch(WeightMetadataRules.Specs(reader.Metadata), model, reader.What, "weight file") is { } mismatch)
            throw reader.Reject(DoesNotFit(mismatch, reader.Metadata));
        var file = WeightFile.Finish(reader);
        NamedTensors.Restore(file.Tensors, model);
        return file.Metadata;
    }

    static string DoesNotFit(string mismatch, WeightMetadata metadata)
        => $"{mismatch} The file was saved from {metadata.ModelType}; load it into a model built from the same " +
           "declaration (same networks, sizes and ModelOptions.DType), or export the weights again from this model.";

    /// <summary>Informational version of NodeDsl.Runtime, recorded in every weight file.</summary>
    public static string RuntimeVersion { get; } =
        typeof(WeightFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(WeightFile).Assembly.GetName().Version?.ToString() ?? "unknown";

    static void CheckRangeCounts(ModelLayout layout, WeightMetadata metadata)
    {
        if (metadata.States.Count > 0 && metadata.States.Count != layout.ObservedSize)
            throw new ArgumentException(
                $"The metadata has ranges for {metadata.States.Count} states ({string.Join(", ", metadata.States.Select(r => r.Name))}) but the model observes " +
                $"{layout.ObservedSize} ({string.Join(", ", layout.ComponentNames.Take(layout.ObservedSize))}); build the metadata from the training data (WeightMetadata.FromTraining).",
                nameof(metadata));
        if (metadata.Inputs.Count > 0 && metadata.Inputs.Count != layout.InputSize)
            throw new ArgumentException(
                $"The metadata has ranges for {metadata.Inputs.Count} inputs ({string.Join(", ", metadata.Inputs.Select(r => r.Name))}) but the model takes " +
                $"{layout.InputSize} ({string.Join(", ", layout.Inputs.Select(i => i.Name))}); build the metadata from the training data (WeightMetadata.FromTraining).",
                nameof(metadata));
    }
}
