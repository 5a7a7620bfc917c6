using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NodeDsl.Generators.Diagnostics;

/// <summary>Every diagnostic the NodeDsl generator reports. Keep AnalyzerReleases.Unshipped.md and docs/diagnostics/ in sync.</summary>
internal static class DiagnosticDescriptors
{
    const string Category = "NodeDsl";
    const string HelpBase = "https://github.com/nodedsl/nodedsl/blob/main/docs/diagnostics/";

    static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");

    /// <summary>"Model '{0}' must be declared partial (and so must every type that contains it)".</summary>
    public static readonly DiagnosticDescriptor NotPartial = Error("NODE001", "Model type is not partial",
        "Model '{0}' must be declared partial (and so must every type that contains it): add the 'partial' modifier");

    /// <summary>"Model '{0}' declares no states: mark at least one field with [State]…".</summary>
    public static readonly DiagnosticDescriptor NoStates = Error("NODE002", "Model has no states",
        "Model '{0}' declares no states: mark at least one double or Vec field with [State] ([Coordinate]/[Momentum] in a Hamiltonian model)");

    /// <summary>"State '{0}' has no rate: add an element named '{0}' to the tuple returned by '{1}'".</summary>
    public static readonly DiagnosticDescriptor StateWithoutRate = Error("NODE003", "State has no rate",
        "State '{0}' has no rate: add an element named '{0}' to the tuple returned by '{1}'");

    /// <summary>"The rates of '{0}' do not match the states: {1}".</summary>
    public static readonly DiagnosticDescriptor RatesMismatch = Error("NODE004", "Rates do not match the states",
        "The rates of '{0}' do not match the states: {1}");

    /// <summary>"'{0}' is not a state, parameter, constant, input, time or local of the model: {1}".</summary>
    public static readonly DiagnosticDescriptor UnknownIdentifier = Error("NODE005", "Unknown identifier in a rate expression",
        "'{0}' is not a state, parameter, constant, input, time or local of the model: {1}");

    /// <summary>"{0} is not supported in a rate or energy body: use locals, arithmetic, NodeDsl.DslMath functions, neural calls and tuple deconstruction".</summary>
    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error("NODE006", "Unsupported construct in a rate body",
        "{0} is not supported in a rate or energy body: use locals, arithmetic, NodeDsl.DslMath functions, neural calls and tuple deconstruction");

    /// <summary>"'{0}' cannot be called in a rate or energy body: only NodeDsl.DslMath functions, Vec.Of/Vec.Concat and the model's [Neural] methods can".</summary>
    public static readonly DiagnosticDescriptor UnsupportedCall = Error("NODE007", "Call to an unsupported method",
        "'{0}' cannot be called in a rate or energy body: only NodeDsl.DslMath functions, Vec.Of/Vec.Concat and the model's [Neural] methods can");

    /// <summary>"Neural method '{0}' is declared as {1}, but {2}" ({2} names the mismatching argument and the fix).</summary>
    public static readonly DiagnosticDescriptor NeuralArguments = Error("NODE008", "Neural call arguments do not match the declaration",
        "Neural method '{0}' is declared as {1}, but {2}");

    /// <summary>"Vec size mismatch: {0}".</summary>
    public static readonly DiagnosticDescriptor SizeMismatch = Error("NODE009", "Vec size mismatch",
        "Vec size mismatch: {0}");

    /// <summary>"Hamiltonian model '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor HamiltonianStructure = Error("NODE010", "Invalid Hamiltonian model structure",
        "Hamiltonian model '{0}': {1}");

    /// <summary>"'{0}' clashes with {1}: rename it".</summary>
    public static readonly DiagnosticDescriptor NameClash = Error("NODE011", "Duplicate or clashing name",
        "'{0}' clashes with {1}: rename it");

    /// <summary>"Learnable '{0}' needs a constant initial value, e.g. '[Learnable] double {0} = 1.0;'".</summary>
    public static readonly DiagnosticDescriptor LearnableWithoutValue = Error("NODE012", "Learnable parameter without an initial value",
        "Learnable '{0}' needs a constant initial value, e.g. '[Learnable] double {0} = 1.0;'");

    /// <summary>"Model '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor MissingRates = Error("NODE013", "Missing or duplicate rates or energy member",
        "Model '{0}' {1}");

    /// <summary>"Field '{0}' cannot be used as a model member: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidField = Error("NODE014", "Invalid model field",
        "Field '{0}' cannot be used as a model member: {1}");

    /// <summary>"Neural method '{0}' is invalid: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidNeural = Error("NODE015", "Invalid neural declaration",
        "Neural method '{0}' is invalid: {1}");

    /// <summary>"The energy cannot be differentiated with respect to '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor NotDifferentiable = Error("NODE016", "Energy cannot be differentiated",
        "The energy cannot be differentiated with respect to '{0}': {1}");

    /// <summary>"Model '{0}' cannot be generated: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidModelType = Error("NODE017", "Invalid model type",
        "Model '{0}' cannot be generated: {1}");

    /// <summary>"Rates method '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidRatesSignature = Error("NODE018", "Invalid rates or energy signature",
        "'{0}' {1}");

    /// <summary>"Model '{0}' is marked [{1}] more than once (first at {2}): …".</summary>
    public static readonly DiagnosticDescriptor DuplicateModel = Error("NODE019", "Model marked more than once",
        "Model '{0}' is marked [{1}] more than once (first at {2}); a copied or renamed model? Rename the copy, or keep the attribute on one of its partial declarations");

    /// <summary>"The NodeDsl generator failed on '{0}' ({1}); this is a bug in NodeDsl, please report it with the model source".</summary>
    public static readonly DiagnosticDescriptor InternalError = Error("NODE099", "Internal generator error",
        "The NodeDsl generator failed on '{0}' ({1}); this is a bug in NodeDsl, please report it with the model source");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        NotPartial, NoStates, StateWithoutRate, RatesMismatch, UnknownIdentifier, UnsupportedConstruct, UnsupportedCall,
        NeuralArguments, SizeMismatch, HamiltonianStructure, NameClash, LearnableWithoutValue, MissingRates, InvalidField,
        InvalidNeural, NotDifferentiable, InvalidModelType, InvalidRatesSignature, DuplicateModel, InternalError,
    };

    static readonly Dictionary<string, DiagnosticDescriptor> byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => byId[id];
}
