namespace NodeDsl.Generators.Diagnostics;

/// <summary>Every diagnostic the NodeDsl generator reports. Keep AnalyzerReleases.Unshipped.md and docs/diagnostics/ in sync.</summary>
internal static class DiagnosticDescriptors
{
    const string Category = "NodeDsl";
    const string HelpBase = "https://github.com/nodedsl/nodedsl/blob/main/docs/diagnostics/";

    static DiagnosticDescriptor Error(string id, string title, string message, string description)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpBase + id + ".md");

    /// <summary>"Model '{0}' must be declared partial (and so must every type that contains it)".</summary>
    public static readonly DiagnosticDescriptor NotPartial = Error("NODE001", "Model type is not partial",
        "Model '{0}' must be declared partial (and so must every type that contains it): add the 'partial' modifier",
        "The generator adds members to the model class in a second partial declaration, so the class and every type that contains it must be partial.");

    /// <summary>"Model '{0}' declares no states: mark at least one field with [State]…".</summary>
    public static readonly DiagnosticDescriptor NoStates = Error("NODE002", "Model has no states",
        "Model '{0}' declares no states: mark at least one double or Vec field with [State] ([Coordinate]/[Momentum] in a Hamiltonian model)",
        "A model integrates its state vector; without a [State] (or [Coordinate]/[Momentum]) field there is nothing to integrate.");

    /// <summary>"State '{0}' has no rate: add an element named '{0}' to the tuple returned by '{1}'".</summary>
    public static readonly DiagnosticDescriptor StateWithoutRate = Error("NODE003", "State has no rate",
        "State '{0}' has no rate: add an element named '{0}' to the tuple returned by '{1}'",
        "Every state needs a rate: the [Rates] tuple names one element per state, and this state has none.");

    /// <summary>"The rates of '{0}' do not match the states: {1}".</summary>
    public static readonly DiagnosticDescriptor RatesMismatch = Error("NODE004", "Rates do not match the states",
        "The rates of '{0}' do not match the states: {1}",
        "The [Rates] method's return type must give one rate per state, named after the state, of the state's type (double or Vec).");

    /// <summary>"'{0}' is not a state, parameter, constant, input, time or local of the model: {1}".</summary>
    public static readonly DiagnosticDescriptor UnknownIdentifier = Error("NODE005", "Unknown identifier in a rate expression",
        "'{0}' is not a state, parameter, constant, input, time or local of the model: {1}",
        "Rate and energy bodies may use the model's marked fields, locals declared in the body, DSL functions and [Neural] methods; this name is none of them.");

    /// <summary>"{0} is not supported in a rate or energy body: use locals, arithmetic, NodeDsl.DslMath functions, neural calls and tuple deconstruction".</summary>
    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error("NODE006", "Unsupported construct in a rate body",
        "{0} is not supported in a rate or energy body: use locals, arithmetic, NodeDsl.DslMath functions, neural calls and tuple deconstruction",
        "Rate and energy bodies are translated into batched tensor code, which covers straight-line arithmetic: locals, operators, DSL functions, neural calls and tuple deconstruction. Control flow, assignments to fields and object creation have no tensor translation.");

    /// <summary>"'{0}' cannot be called in a rate or energy body: only NodeDsl.DslMath functions, Vec.Of/Vec.Concat and the model's [Neural] methods can".</summary>
    public static readonly DiagnosticDescriptor UnsupportedCall = Error("NODE007", "Call to an unsupported method",
        "'{0}' cannot be called in a rate or energy body: only NodeDsl.DslMath functions, Vec.Of/Vec.Concat and the model's [Neural] methods can",
        "Only calls whose batched form and derivative the generator knows can appear in a rate body: NodeDsl.DslMath functions, their System.Math counterparts, Vec.Of/Vec.Concat and the model's [Neural] methods.");

    /// <summary>"Neural method '{0}' is declared as {1}, but {2}" ({2} names the mismatching argument and the fix).</summary>
    public static readonly DiagnosticDescriptor NeuralArguments = Error("NODE008", "Neural call arguments do not match the declaration",
        "Neural method '{0}' is declared as {1}, but {2}",
        "A call to a [Neural] method must pass one argument of the declared type (double or Vec) per parameter, by position or by name.");

    /// <summary>"Vec size mismatch: {0}".</summary>
    public static readonly DiagnosticDescriptor SizeMismatch = Error("NODE009", "Vec size mismatch",
        "Vec size mismatch: {0}",
        "Elementwise operations, ranges, indices, network inputs and rates need Vec sizes that agree at compile time.");

    /// <summary>"Hamiltonian model '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor HamiltonianStructure = Error("NODE010", "Invalid Hamiltonian model structure",
        "Hamiltonian model '{0}': {1}",
        "A [HamiltonianModel] has [Coordinate]/[Momentum] pairs (the i-th momentum pairs with the i-th coordinate) and no [State] or [Augmented] fields.");

    /// <summary>"'{0}' clashes with {1}: rename it".</summary>
    public static readonly DiagnosticDescriptor NameClash = Error("NODE011", "Duplicate or clashing name",
        "'{0}' clashes with {1}: rename it",
        "Two names would refer to different things: a member named like one the generator emits or OdeModel declares, two [Neural] methods or [Time] fields, or a local hiding a model member.");

    /// <summary>"Learnable '{0}' needs a constant initial value, e.g. '[Learnable] double {0} = 1.0;'".</summary>
    public static readonly DiagnosticDescriptor LearnableWithoutValue = Error("NODE012", "Learnable parameter without an initial value",
        "Learnable '{0}' needs a constant initial value, e.g. '[Learnable] double {0} = 1.0;'",
        "A [Learnable] parameter starts training from its field initialiser, which must be a compile-time constant.");

    /// <summary>"Model '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor MissingRates = Error("NODE013", "Missing or duplicate rates or energy member",
        "Model '{0}' {1}",
        "An [OdeModel] has exactly one [Rates] method and a [HamiltonianModel] exactly one [Energy] member.");

    /// <summary>"Field '{0}' is a {1}; model fields are double or NodeDsl.Vec".</summary>
    public static readonly DiagnosticDescriptor FieldType = Error("NODE014", "Model field is not double or Vec",
        "Field '{0}' is a {1}; model fields are double or NodeDsl.Vec: change its type",
        "A model field holds a double or a NodeDsl.Vec: those are the values the generated code reads from and writes to the state, input and parameter tensors.");

    /// <summary>"Field '{0}' has {1}; give each field one role".</summary>
    public static readonly DiagnosticDescriptor FieldRoles = Error("NODE020", "Model field has more than one role",
        "Field '{0}' has {1}; give each field one role",
        "A field is a state, an augmented state, a constant, a learnable parameter, the time, an input, a coordinate or a momentum: each role places it differently in the state vector, the inputs or the parameters.");

    /// <summary>"Field '{0}' is static; model fields are instance fields (only a [Constant] may be const)".</summary>
    public static readonly DiagnosticDescriptor StaticField = Error("NODE021", "Static model field",
        "Field '{0}' is static; model fields are instance fields (only a [Constant] may be const): remove 'static'",
        "The generated code assigns the model's fields per model instance (the scalar oracle sets states, inputs, time and parameters before calling the [Rates] method); a static field would be shared by every model.");

    /// <summary>"Field '{0}' is readonly or const, but the generated oracle assigns a [{1}] field: …".</summary>
    public static readonly DiagnosticDescriptor ReadOnlyField = Error("NODE022", "Read-only field in an assigned role",
        "Field '{0}' is readonly or const, but the generated scalar oracle assigns [{1}] fields: remove 'readonly'/'const' (only [Constant] fields can be read-only)",
        "The generated ScalarRates sets every state, augmented state, input, time and learnable field before it runs the user's [Rates] method, so those fields cannot be readonly or const.");

    /// <summary>"Field '{0}' is a Vec, but [{1}] fields are double: …".</summary>
    public static readonly DiagnosticDescriptor VecInScalarRole = Error("NODE023", "Vec field in a role that takes a double",
        "Field '{0}' is a Vec, but [{1}] fields are double: declare it as double, or use one field per component",
        "Constants, learnable parameters and the time are single numbers; only [State], [Augmented], [Input], [Coordinate] and [Momentum] fields can be vectors.");

    /// <summary>"Vec field '{0}' needs a positive size: {1}".</summary>
    public static readonly DiagnosticDescriptor VecWithoutSize = Error("NODE024", "Vec field without a positive size",
        "Vec field '{0}' needs a positive size: {1}",
        "The state and input layouts are fixed at compile time, so a Vec field declares its number of components in its attribute.");

    /// <summary>"Augmented double '{0}' has one component, not {1}: …".</summary>
    public static readonly DiagnosticDescriptor AugmentedDoubleSize = Error("NODE025", "Augmented double with a size other than one",
        "Augmented double '{0}' has one component, not {1}: declare it as '[Augmented({1})] Vec {0};' or remove the size",
        "[Augmented(n)] on a double would add one component while the attribute promises n; a Vec field holds n components.");

    /// <summary>"Field '{0}' is a [{1}], which belongs in a [HamiltonianModel]; …".</summary>
    public static readonly DiagnosticDescriptor HamiltonianRoleInOdeModel = Error("NODE026", "Coordinate or momentum in an [OdeModel]",
        "Field '{0}' is a [{1}], which belongs in a [HamiltonianModel]: use [State] in an [OdeModel], or mark the class [HamiltonianModel]",
        "Coordinates and momenta pair up into Hamilton's equations, which only a [HamiltonianModel] derives from its [Energy]; an [OdeModel] takes its rates from its [Rates] method.");

    /// <summary>"Momentum '{0}' has {1} but its coordinate '{2}' has {3}: …".</summary>
    public static readonly DiagnosticDescriptor PairSizeMismatch = Error("NODE030", "Coordinate and momentum sizes differ",
        "Momentum '{0}' has {1} but its coordinate '{2}' has {3}: declare it as '{4} {0};'",
        "Hamilton's equations pair each momentum component with one coordinate component (q' = ∂H/∂p, p' = −∂H/∂q), so the i-th [Momentum] has the shape of the i-th [Coordinate]: both double, or Vecs of the same size.");

    /// <summary>"'{0}' is not a valid unit: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidUnit = Error("NODE031", "Invalid unit",
        "'{0}' is not a valid unit: {1}",
        "Units are SI base and derived units with SI prefixes, joined by '*', '/' or a space, with integer or fractional powers: \"m\", \"1/s\", \"kg*m^2/s^2\", \"mmol/L\".");

    /// <summary>"This expression {0} values in different units: {1} and {2}; …".</summary>
    public static readonly DiagnosticDescriptor UnitMismatchInSum = Error("NODE032", "Sum or difference of different units",
        "This expression {0} values in different units: {1} and {2}; convert one with a [Constant] factor in the right unit, or fix the declared units",
        "Only quantities of the same dimension and scale can be added or subtracted: m + m/s or km + m is a mistake in the equation or in the units.");

    /// <summary>"The argument of {0} is in {1}, but {0} takes a pure number: …".</summary>
    public static readonly DiagnosticDescriptor FunctionOfDimensionedValue = Error("NODE033", "Function of a dimensioned value",
        "The argument of {0} is in {1}, but {0} takes a pure number: divide it by a [Constant] in {1} (a scale)",
        "Exp, Log, Sin, Cos, Tan, the hyperbolic functions, Sigmoid and Softplus are defined on pure numbers; their arguments must have no dimension and scale 1.");

    /// <summary>"Network '{0}' gets an argument in {1}, but networks take pure numbers: …".</summary>
    public static readonly DiagnosticDescriptor NetworkOfDimensionedValue = Error("NODE034", "Network input with a unit",
        "Network '{0}' gets an argument in {1}, but networks take pure numbers: divide it by a [Constant] in {1} (a typical scale of the data)",
        "A network's weights are pure numbers, so its inputs must be too; its outputs are pure numbers unless [Neural(OutputUnit = ...)] declares their unit.");

    /// <summary>"The rate of '{0}' is in {1}, but '{0}' is in {2} and time in {3}, so its rate must be in {4}".</summary>
    public static readonly DiagnosticDescriptor RateUnitMismatch = Error("NODE035", "Rate in the wrong unit",
        "The rate of '{0}' is in {1}, but '{0}' is in {2} and time in {3}, so its rate must be in {4}",
        "The rate of a state is its derivative with respect to time: a state in m changes in m per time unit.");

    /// <summary>"The energy '{0}' is in {1}, but the pair '{2}'/'{3}' needs p·q/t = {4}".</summary>
    public static readonly DiagnosticDescriptor EnergyUnitMismatch = Error("NODE036", "Energy in the wrong unit",
        "The energy '{0}' is in {1}, but the pair '{2}'/'{3}' needs momentum × coordinate / time = {4}",
        "Hamilton's equations q' = ∂H/∂p give the rate of q in H/p, which must be q per time unit, so H is in p·q/t for every coordinate–momentum pair (J for q in m, p in kg*m/s and t in s).");

    /// <summary>"Pow of a value in {0}: {1}".</summary>
    public static readonly DiagnosticDescriptor PowerOfDimensionedValue = Error("NODE037", "Power with an unknown unit",
        "Pow of a value in {0}: {1}; use a constant exponent (Pow(x, 2), Pow(x, 0.5)) or make the base a pure number",
        "The unit of u^w is the unit of u to the power w, known at compile time only when w is a constant pure number (a pure-number base can take any pure-number exponent).");

    /// <summary>"The parts of this Vec are in different units: {0} and {1}; …".</summary>
    public static readonly DiagnosticDescriptor VecOfMixedUnits = Error("NODE038", "Vec of mixed units",
        "The parts of this Vec are in different units: {0} and {1}; a Vec has one unit, so scale the parts to pure numbers first",
        "Vec.Of and Vec.Concat build one vector whose components share a unit, as a Vec state or input does.");

    /// <summary>"Model '{0}' declares units but no time unit: …".</summary>
    public static readonly DiagnosticDescriptor MissingTimeUnit = Error("NODE039", "Units without a time unit",
        "Model '{0}' declares units but no time unit: add TimeUnit = \"s\" (the unit of the data's times) to [{1}]",
        "Rates are derivatives with respect to time, so checking them needs the unit of time; a model that declares any unit also declares [OdeModel(TimeUnit = ...)] or [HamiltonianModel(TimeUnit = ...)].");

    /// <summary>"Neural method '{0}' is invalid: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidNeural = Error("NODE015", "Invalid neural declaration",
        "Neural method '{0}' is invalid: {1}",
        "A [Neural] method is a partial declaration with an accessibility modifier whose body the generator writes; it takes doubles or Vecs, returns a double, a Vec or a tuple of doubles, and names a TorchSharp module or positive hidden widths.");

    /// <summary>"The energy cannot be differentiated with respect to '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor NotDifferentiable = Error("NODE016", "Energy cannot be differentiated",
        "The energy cannot be differentiated with respect to '{0}': {1}",
        "Hamilton's equations need ∂H/∂q and ∂H/∂p; the energy uses a term the symbolic differentiator cannot differentiate with respect to this state.");

    /// <summary>"Model '{0}' cannot be generated: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidModelType = Error("NODE017", "Invalid model type",
        "Model '{0}' cannot be generated: {1}",
        "A model must be a non-generic, non-static, non-abstract class without its own base class or constructor, because the generator makes it an OdeModel with a constructor of its own.");

    /// <summary>"Rates method '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidRatesSignature = Error("NODE018", "Invalid rates or energy signature",
        "'{0}' {1}",
        "The [Rates] method (or [Energy] member) is a parameterless instance member with a body that reads the model's fields.");

    /// <summary>"Model '{0}' is marked [{1}] more than once (first at {2}): …".</summary>
    public static readonly DiagnosticDescriptor DuplicateModel = Error("NODE019", "Model marked more than once",
        "Model '{0}' is marked [{1}] more than once (first at {2}); a copied or renamed model? Rename the copy, or keep the attribute on one of its partial declarations",
        "A model is marked [OdeModel] or [HamiltonianModel] on one of its partial declarations only; more marks usually mean a copied model.");

    // NODE040–NODE049: second-order and Lagrangian models (docs/dsl.md "Second-order models", "Lagrangian models").

    /// <summary>"Velocity '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidVelocity = Error("NODE040", "Velocity does not pair with a position",
        "Velocity '{0}' {1}",
        "A [Velocity(nameof(x))] field is the derivative of one position: a [State] field of the same type in a second-order [OdeModel], a [Coordinate] in a [LagrangianModel]; each position has at most one velocity.");

    /// <summary>"Second-order model '{0}' is incomplete: {1}".</summary>
    public static readonly DiagnosticDescriptor SecondOrderStructure = Error("NODE041", "Second-order model structure",
        "Second-order model '{0}' is incomplete: {1}",
        "A second-order [OdeModel] pairs every [State] position with a [Velocity] field and has one [Accelerations] method (and no [Rates] method); the generator adds x' = v and v' = the acceleration.");

    /// <summary>"The accelerations of '{0}' do not match the positions: {1}".</summary>
    public static readonly DiagnosticDescriptor AccelerationsMismatch = Error("NODE042", "Accelerations do not match the positions",
        "The accelerations of '{0}' do not match the positions: {1}",
        "The [Accelerations] method returns one acceleration per position that has a velocity, of the position's type, as a tuple whose element names are the positions (a single value for one position).");

    /// <summary>"Lagrangian model '{0}' is incomplete: {1}".</summary>
    public static readonly DiagnosticDescriptor LagrangianStructure = Error("NODE043", "Lagrangian model structure",
        "Lagrangian model '{0}' is incomplete: {1}",
        "A [LagrangianModel] has double [Coordinate] fields, one [Velocity] field per coordinate, and one double [Lagrangian] member; its accelerations come from the Euler–Lagrange equations.");

    /// <summary>"The mass matrix ∂²L/∂q̇² of '{0}' is zero in row '{1}': …".</summary>
    public static readonly DiagnosticDescriptor SingularMassMatrix = Error("NODE044", "Lagrangian without a kinetic term in a velocity",
        "The mass matrix ∂²L/∂q̇² of '{0}' is zero in row '{1}': the Lagrangian is at most linear in '{1}', so the Euler–Lagrange equations cannot be solved for its acceleration; add a kinetic term such as '{1} * {1} / 2'",
        "The Euler–Lagrange accelerations solve (∂²L/∂q̇²) q̈ = ∇qL − (∂²L/∂q̇∂q) q̇; a velocity that appears in no quadratic term leaves a zero row in the mass matrix for every state.");

    /// <summary>"Model '{0}' cannot be built for prediction without libtorch: {1}; …".</summary>
    public static readonly DiagnosticDescriptor NotPredictable = Error("NODE045", "Model has no native kernels for prediction without libtorch",
        "Model '{0}' cannot be built for prediction without libtorch: {1}; reference NodeDsl.Runtime (the TorchSharp surrogate) in this project instead of NodeDsl.Prediction alone",
        "A project that references NodeDsl.Prediction but not NodeDsl.Runtime gets only the native kernels of its models (plain C# over spans); a model outside the native subset (custom [Neural(typeof(…))] modules, networks inside a Hamiltonian energy, Lagrangian models) has none, so it needs the TorchSharp runtime.");

    /// <summary>"The NodeDsl generator failed on '{0}' ({1}); this is a bug in NodeDsl, please report it with the model source".</summary>
    public static readonly DiagnosticDescriptor InternalError = Error("NODE099", "Internal generator error",
        "The NodeDsl generator failed on '{0}' ({1}); this is a bug in NodeDsl, please report it with the model source",
        "The generator met a case it does not handle and reports it instead of failing the build silently.");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        NotPartial, NoStates, StateWithoutRate, RatesMismatch, UnknownIdentifier, UnsupportedConstruct, UnsupportedCall,
        NeuralArguments, SizeMismatch, HamiltonianStructure, NameClash, LearnableWithoutValue, MissingRates, FieldType,
        InvalidNeural, NotDifferentiable, InvalidModelType, InvalidRatesSignature, DuplicateModel, FieldRoles, StaticField,
        ReadOnlyField, VecInScalarRole, VecWithoutSize, AugmentedDoubleSize, HamiltonianRoleInOdeModel, PairSizeMismatch, InvalidUnit,
        UnitMismatchInSum, FunctionOfDimensionedValue, NetworkOfDimensionedValue, RateUnitMismatch, EnergyUnitMismatch,
        PowerOfDimensionedValue, VecOfMixedUnits, MissingTimeUnit,
        InvalidVelocity, SecondOrderStructure, AccelerationsMismatch, LagrangianStructure, SingularMassMatrix,
        NotPredictable, InternalError,
    };

    static readonly Dictionary<string, DiagnosticDescriptor> byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => byId[id];
}
