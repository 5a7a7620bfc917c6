namespace NodeDsl.Generators.Model;

/// <summary>A type declaration to reopen: keyword ("class", "struct", "record"…) and name with type parameters.</summary>
internal sealed record TypeDeclSpec(string Keyword, string Name);

/// <summary>What a block of the state vector is; the emitted <c>NodeDsl.Runtime.StateKind</c> member has the same name.</summary>
internal enum StateRole { State, Augmented, Coordinate, Momentum, Position, Velocity, LatentVelocity }

/// <summary>A block of the state vector: columns <c>Offset .. Offset + Shape.Width</c> of <c>y</c>.</summary>
/// <param name="Position">For a velocity (second-order and Lagrangian models), the name of its position; null otherwise.</param>
internal sealed record StateSpec(string Name, int Offset, Shape Shape, StateRole Role, string? Position = null)
{
    public int Size => Shape.Width;

    public bool IsVector => Shape.IsVector;

    /// <summary>The IR leaf that reads this state.</summary>
    public Ref Leaf => new(MemberKind.State, Name, Shape);
}

/// <summary>A per-trajectory input block: columns <c>Offset .. Offset + Shape.Width</c> of the inputs.</summary>
internal sealed record InputSpec(string Name, int Offset, Shape Shape)
{
    public int Size => Shape.Width;

    public bool IsVector => Shape.IsVector;

    /// <summary>The IR leaf that reads this input.</summary>
    public Ref Leaf => new(MemberKind.Input, Name, Shape);
}

/// <summary>A learnable scalar and its initial value (from the field initialiser).</summary>
internal sealed record LearnableSpec(string Name, double InitialValue)
{
    /// <summary>The IR leaf that reads this parameter.</summary>
    public Ref Leaf => new(MemberKind.Parameter, Name, Shape.Scalar);
}

/// <summary>A parameter of a neural partial method.</summary>
internal sealed record NetworkParameterSpec(string Name, Shape Shape)
{
    public bool IsVector => Shape.IsVector;
}

/// <summary>How a neural partial method returns its outputs.</summary>
internal enum NetworkReturn { Double, Vector, Tuple }

/// <summary>The module behind a neural term, decided once when the model is parsed: a built-in perceptron or the user's own.</summary>
internal abstract record NetworkModule;

/// <summary>A built-in multilayer perceptron (NodeDsl.Runtime.Mlp): hidden widths and activation (a NodeDsl.Activation member name).</summary>
internal sealed record PerceptronModule(EquatableArray<int> HiddenSizes, string Activation) : NetworkModule;

/// <summary>A user-written TorchSharp <c>Module&lt;Tensor, Tensor&gt;</c>, by its <c>global::</c>-qualified type name.</summary>
internal sealed record CustomModule(string TypeName) : NetworkModule
{
    /// <summary>The type name as users write it (without <c>global::</c>).</summary>
    public string DisplayName => TypeName.Replace("global::", "");
}

/// <summary>A neural term: the partial method to implement and the module behind it.</summary>
/// <param name="Modifiers">The declaration's modifiers other than <c>partial</c>, e.g. "private".</param>
internal sealed record NetworkSpec(
    string Name, int Index, string Modifiers, EquatableArray<NetworkParameterSpec> Parameters,
    NetworkReturn Return, EquatableArray<string> TupleNames, int InputSize, int OutputSize, NetworkModule Module)
{
    /// <summary>The perceptron's layout, for code that handles perceptrons only (native kernels).</summary>
    public PerceptronModule Perceptron => Module as PerceptronModule
        ?? throw new System.InvalidOperationException($"Network '{Name}' is a custom module, not a perceptron");
}

/// <summary>The user's rates method: name and how it returns (one value or a tuple in <see cref="ElementNames"/> order).</summary>
internal sealed record RatesSpec(string MethodName, bool ReturnsTuple, EquatableArray<string> ElementNames);

/// <summary>The user's energy member.</summary>
internal sealed record EnergySpec(string MemberName, bool IsMethod, Expr Energy);

/// <summary>
/// The [Accelerations] method of a second-order model: its name, whether it returns a tuple, and the position/velocity
/// pairs in the order of its results (the i-th result is the acceleration of <c>Positions[i]</c>, the rate of <c>Velocities[i]</c>).
/// </summary>
internal sealed record AccelerationsSpec(string MethodName, bool ReturnsTuple, EquatableArray<string> Positions, EquatableArray<string> Velocities);

/// <summary>
/// The Euler–Lagrange parts of a Lagrangian model with n coordinates: the [Lagrangian] member, and the derivatives of its
/// known (network-free) terms L_k, derived symbolically — <see cref="Force"/> ∂L_k/∂q_i, <see cref="Mass"/>
/// ∂²L_k/∂q̇_i∂q̇_j and <see cref="Mixed"/> ∂²L_k/∂q̇_i∂q_j (row-major n×n), <see cref="TimeMixed"/> ∂²L_k/∂q̇_i∂t (empty
/// without a time field) — plus <see cref="NetworkTerms"/>, the sum of the terms that call networks, which the emitted code
/// differentiates with autograd (gradients and Hessian–vector products), or null when there are none.
/// </summary>
internal sealed record LagrangianSpec(
    string MemberName, bool IsMethod, Expr Lagrangian, EquatableArray<string> Coordinates, EquatableArray<string> Velocities,
    EquatableArray<Expr> Force, EquatableArray<Expr> Mass, EquatableArray<Expr> Mixed, EquatableArray<Expr> TimeMixed, Expr? NetworkTerms)
{
    public int Size => Coordinates.Count;
}

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
    EquatableArray<Expr> RateExpressions,
    AccelerationsSpec? Accelerations = null,
    LagrangianSpec? Lagrangian = null)
{
    /// <summary>Why the model has no native kernels, or null when it has them (<see cref="NativeEligibility"/>).</summary>
    public string? NativeIneligibility { get; } = Lagrangian is not null
        ? "its accelerations solve the Euler–Lagrange equations with a batched linear solve, which runs in TorchSharp"
        : NativeEligibility.Reason(Networks, RateExpressions);

    /// <summary>True when the generator also emits native kernels for the model.</summary>
    public bool HasNativeKernels => NativeIneligibility is null;

    /// <summary>The state of that name.</summary>
    public StateSpec State(string name) => States.First(s => s.Name == name);

    /// <summary>The [Time] leaf, when the model has a time field.</summary>
    public Ref? TimeLeaf => TimeField is null ? null : Ref.Time(TimeField);
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
/// <param name="Anchor">Where the model class is declared (for diagnostics that depend on the compilation's target).</param>
internal sealed record ParseResult(ModelSpec? Model, RejectedModelSpec? Rejected, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? Anchor = null)
{
    /// <summary>The model when it has no native kernels and so cannot be built for prediction without libtorch, else null.</summary>
    public PredictionRejection? PredictionRejection
        => Model is { NativeIneligibility: { } reason } m ? new PredictionRejection(m.ClassName, reason, Anchor) : null;

    /// <summary>No code and no diagnostics (a declaration the compiler already reports, or one parsed elsewhere).</summary>
    public static ParseResult Nothing { get; } = new(null, null, EquatableArray<DiagnosticInfo>.Empty);
}
