namespace NodeDsl.Generators.Parsing;

/// <summary>Metadata names the parser recognises.</summary>
internal static class SymbolNames
{
    public const string OdeModel = "NodeDsl.OdeModelAttribute";
    public const string HamiltonianModel = "NodeDsl.HamiltonianModelAttribute";
    public const string State = "NodeDsl.StateAttribute";
    public const string Augmented = "NodeDsl.AugmentedAttribute";
    public const string Constant = "NodeDsl.ConstantAttribute";
    public const string Learnable = "NodeDsl.LearnableAttribute";
    public const string Time = "NodeDsl.TimeAttribute";
    public const string Input = "NodeDsl.InputAttribute";
    public const string Coordinate = "NodeDsl.CoordinateAttribute";
    public const string Momentum = "NodeDsl.MomentumAttribute";
    public const string Velocity = "NodeDsl.VelocityAttribute";
    public const string Accelerations = "NodeDsl.AccelerationsAttribute";
    public const string LagrangianModel = "NodeDsl.LagrangianModelAttribute";
    public const string Lagrangian = "NodeDsl.LagrangianAttribute";
    public const string Rates = "NodeDsl.RatesAttribute";
    public const string Energy = "NodeDsl.EnergyAttribute";
    public const string Neural = "NodeDsl.NeuralAttribute";
    public const string Vec = "NodeDsl.Vec";
    public const string DslMath = "NodeDsl.DslMath";

    public static string FullName(ITypeSymbol? type)
        => type is null ? "" : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");

    public static bool IsDouble(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Double;

    public static bool IsVec(ITypeSymbol? type) => FullName(type) == Vec;
}
