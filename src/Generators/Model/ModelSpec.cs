namespace NodeDsl.Generators.Model;

/// <summary>A type declaration to reopen: keyword ("class", "struct", "record"…) and name with type parameters.</summary>
internal sealed record TypeDeclSpec(string Keyword, string Name);

/// <summary>A block of the state vector. <see cref="Kind"/> is a NodeDsl.Runtime.StateKind member name.</summary>
internal sealed record StateSpec(string Name, int Offset, int Size, bool IsVector, string Kind);

/// <summary>A per-trajectory input block.</summary>
internal sealed record InputSpec(string Name, int Offset, int Size, bool IsVector);

/// <summary>A learnable scalar and its initial value (from the field initialiser).</summary>
internal sealed record LearnableSpec(string Name, double InitialValue);

/// <summary>A parameter of a neural partial method.</summary>
internal sealed record NetworkParameterSpec(string Name, bool IsVector, int Size);

/// <summary>How a neural partial method returns its outputs.</summary>
internal enum NetworkReturn { Double, Vector, Tuple }

/// <summary>A neural term: the partial method to implement and the module behind it.</summary>
/// <param name="Modifiers">The declaration's modifiers other than <c>partial</c>, e.g. "private".</param>
/// <param name="CustomType">Fully qualified custom module type, or null for a perceptron.</param>
internal sealed record NetworkSpec(
    string Name, int Index, string Modifiers, EquatableArray<NetworkParameterSpec> Parameters,
    NetworkReturn Return, EquatableArray<string> TupleNames, int InputSize, int OutputSize,
    EquatableArray<int> HiddenSizes, string Activation, string? CustomType)
{
    public bool IsCustom => CustomType is not null;
}

/// <summary>The user's rates method: name and how it returns (one value or a tuple in <see cref="ElementNames"/> order).</summary>
internal sealed record RatesSpec(string MethodName, bool ReturnsTuple, EquatableArray<string> ElementNames);

/// <summary>The user's energy member.</summary>
internal sealed record EnergySpec(string MemberName, bool IsMethod, Expr Energy);

/// <summary>Everything the emitter needs for one model; no symbols or syntax.</summary>
internal sealed record ModelSpec(
    string? Namespace,
    EquatableArray<TypeDeclSpec> ContainingTypes,
    string ClassName,
    string HintName,
    bool IsHamiltonian,
    EquatableArray<StateSpec> States,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<LearnableSpec> Learnables,
    string? TimeField,
    EquatableArray<NetworkSpec> Networks,
    RatesSpec? Rates,
    EnergySpec? Energy,
    EquatableArray<Expr> RateExpressions)
{
    /// <summary>Why the model has no native kernels, or null when it has them (<see cref="NativeEligibility"/>).</summary>
    public string? NativeIneligibility { get; } = NativeEligibility.Reason(Networks, RateExpressions);

    /// <summary>True when the generator also emits native kernels for the model.</summary>
    public bool HasNativeKernels => NativeIneligibility is null;
}

/// <summary>
/// A model the generator rejected with its own diagnostics, but whose declaration is sound: the [Neural] partial methods
/// that parsed, to complete with bodies that throw, so C# does not repeat the rejection as CS8795 (missing implementation).
/// </summary>
internal sealed record RejectedModelSpec(
    string? Namespace,
    EquatableArray<TypeDeclSpec> ContainingTypes,
    string ClassName,
    string HintName,
    EquatableArray<NetworkSpec> Networks);

/// <summary>Result of parsing one model: the model when it is valid, the part to complete when it was rejected, and diagnostics.</summary>
internal sealed record ParseResult(ModelSpec? Model, RejectedModelSpec? Rejected, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>No code and no diagnostics (a declaration the compiler already reports, or one parsed elsewhere).</summary>
    public static ParseResult Nothing { get; } = new(null, null, EquatableArray<DiagnosticInfo>.Empty);
}
