namespace NodeDsl.Generators.Parsing;

/// <summary>
/// Member names a model class cannot declare (NODE011): the generated part declares them, or NodeDsl.Runtime.OdeModel
/// does and the generated code calls them by their simple name, so a user member of that name would hide the base member
/// and be called in its place. Kept in step with the runtime by ReservedMembersTests, which reflects over OdeModel and
/// reads the generated code.
/// </summary>
internal static class ReservedMembers
{
    /// <summary>Members the generated part declares (Emitting/ModelEmitter, VjpEmitter, LearnablesEmitter, LagrangianEmitter).</summary>
    public static IReadOnlyList<string> Generated { get; } = new[]
    {
        "Rates", "ScalarRates", "Energies", "ScalarEnergy", "ScalarLagrangian", "Vjp", "Learnables", "LearnableValues",
    };

    /// <summary>Non-private members of NodeDsl.Runtime.OdeModel (and <c>forward</c> of its TorchSharp base).</summary>
    public static IReadOnlyList<string> Inherited { get; } = new[]
    {
        "Layout", "Options", "DType", "Device", "Inputs", "TimeOffsets", "WithInputs", "Augment", "Observed", "CheckState",
        "TimeColumn", "InputColumns", "Columns", "ConstantColumns", "AddParameter", "Learnable", "AddModule", "ScalarValue",
        "SetScalarValue", "VjpParameters", "CheckCotangent", "ZeroColumns", "VjpResult", "CheckScalarArguments", "forward",
        "_toEpilog",
    };

    /// <summary>Generated fields and locals start with this prefix (e.g. <c>__layout</c>, <c>__batch</c>).</summary>
    public const string GeneratedPrefix = "__";

    static readonly HashSet<string> names = new(Generated.Concat(Inherited), StringComparer.Ordinal);

    /// <summary>True when a user member of this name would collide with a generated or inherited one.</summary>
    public static bool Contains(string name) => names.Contains(name) || name.StartsWith(GeneratedPrefix, StringComparison.Ordinal);
}
