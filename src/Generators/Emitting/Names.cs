namespace NodeDsl.Generators.Emitting;

/// <summary>Names of generated members and common type names (all global::-qualified).</summary>
internal static class Names
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Torch = "global::TorchSharp.torch";
    public const string Vec = "global::NodeDsl.Vec";
    public const string DslMath = "global::NodeDsl.DslMath";
    public const string Runtime = "global::NodeDsl.Runtime";
    public const string ScalarOps = "global::NodeDsl.Runtime.ScalarOps";
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"NodeDsl.Generators\", \"0.1.0\")]";

    public static string Learnable(int index) => $"this.Learnable({Literals.Int(index)})";

    public static string NetworkField(string name) => "__n_" + name;
}
