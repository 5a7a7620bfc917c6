namespace NodeDsl.Generators.Emitting;

/// <summary>The implementing declaration of a [Neural] partial method: the user's modifiers, return type and parameters.</summary>
internal static class NeuralSignature
{
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
