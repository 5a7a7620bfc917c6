namespace NodeDsl.Generators.Emitting;

/// <summary>Names of generated members and common type names (all global::-qualified).</summary>
internal static class Names
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Torch = "global::TorchSharp.torch";
    public const string Vec = "global::NodeDsl.Vec";
    public const string DslMath = "global::NodeDsl.DslMath";
    public const string Runtime = "global::NodeDsl.Runtime";

    // NodeDsl.Runtime types that generated code references: a type moved to another runtime namespace is an edit here only.
    public const string ScalarOps = Runtime + ".ScalarOps";
    public const string OdeModel = Runtime + ".OdeModel";
    public const string IRatesVjp = Runtime + ".IRatesVjp";
    public const string INativeKernels = Runtime + ".INativeKernels";
    public const string RatesVjpResult = Runtime + ".RatesVjpResult";
    public const string ModelLayout = Runtime + ".ModelLayout";
    public const string ModelOptions = Runtime + ".ModelOptions";
    public const string StateInfo = Runtime + ".StateInfo";
    public const string InputInfo = Runtime + ".InputInfo";
    public const string ParameterInfo = Runtime + ".ParameterInfo";
    public const string NetworkInfo = Runtime + ".NetworkInfo";
    public const string StateKind = Runtime + ".StateKind";
    public const string Mlp = Runtime + ".Mlp";
    public const string ModuleOps = Runtime + ".ModuleOps";
    public const string NetworkTapes = Runtime + ".NetworkTapes";
    public const string ScalarFunctions = Runtime + ".ScalarFunctions";
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"NodeDsl.Generators\", \"0.1.0\")]";

    public static string Learnable(int index) => $"this.Learnable({Literals.Int(index)})";

    public static string NetworkField(string name) => "__n_" + name;
}
