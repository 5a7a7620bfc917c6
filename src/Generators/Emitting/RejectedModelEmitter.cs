namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Writes the part of a model the generator rejected: bodies for its [Neural] partial methods, so C# does not add
/// CS8795 ("must have an implementation part") to the NODE errors that say what to fix. The build fails on those
/// errors, so the bodies never run in a built program; they throw with the cause in case the errors were silenced.
/// </summary>
internal static class RejectedModelEmitter
{
    public static string Emit(RejectedModelSpec model)
    {
        var w = new SourceWriter();
        GeneratedFile.Begin(w, model.Namespace, model.ContainingTypes);
        w.OpenBlock($"partial class {model.ClassName}");
        var message = Literals.String($"NodeDsl generated no code for model '{model.ClassName}' because of the errors it reported (NODE0xx); fix them and rebuild.");
        foreach (var network in model.Networks)
        {
            w.WriteLine(Names.GeneratedCode);
            w.WriteLine($"{NeuralSignature.Of(network)} => throw new global::System.InvalidOperationException({message});");
        }
        w.CloseBlock();
        GeneratedFile.End(w, model.Namespace, model.ContainingTypes);
        return w.ToString();
    }
}
