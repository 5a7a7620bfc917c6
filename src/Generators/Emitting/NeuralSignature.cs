namespace NodeDsl.Generators.Emitting;

/// <summary>The implementing declaration of a [Neural] partial method: the user's modifiers, return type and parameters, and its return statement.</summary>
internal static class NeuralSignature
{
    /// <summary>The statement that returns the outputs held in the double array <paramref name="outputs"/> as the declared return type.</summary>
    public static string Return(NetworkSpec n, string outputs) => n.Return switch
    {
        NetworkReturn.Double => $"return {outputs}[0];",
        NetworkReturn.Vector => $"return new {Names.Vec}({outputs});",
        _ => "return (" + string.Join(", ", Enumerable.Range(0, n.OutputSize).Select(k => $"{outputs}[{Literals.Int(k)}]")) + ");",
    };

    public static string Of(NetworkSpec n)
    {
        var returnType = n.Return switch
        {
            NetworkReturn.Double => "double",
            NetworkReturn.Vector => Names.Vec,
            _ => "(" + string.Join(", ", n.TupleNames.Select(t => t.Length == 0 ? "double" : "double " + t)) + ")",
        };
        var parameters = string.Join(", ", n.Parameters.Select(p => (p.IsVector ? Names.Vec : "double") + " " + p.Name));
        return $"{(n.Modifiers.Length > 0 ? n.Modifiers + " " : "")}partial {returnType} {n.Name}({parameters})";
    }
}
