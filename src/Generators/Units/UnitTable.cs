namespace NodeDsl.Generators.Units;

/// <summary>
/// The units a model declares: per field (states, constants, learnables, inputs, coordinates, momenta), per network
/// output, and the time unit. A model that declares none is not checked; in one that does, an undeclared value is a
/// pure number.
/// </summary>
internal sealed class UnitTable
{
    public Dictionary<string, Unit> Fields { get; } = new();

    public Dictionary<string, Unit> NetworkOutputs { get; } = new();

    public Unit? Time { get; set; }

    /// <summary>True when the model declares any unit, so its expressions are checked.</summary>
    public bool Declared => Time is not null || Fields.Count > 0 || NetworkOutputs.Count > 0;

    /// <summary>The unit of a field; a pure number when it declares none.</summary>
    public Unit Field(string name) => Fields.TryGetValue(name, out var unit) ? unit : Unit.One;

    /// <summary>The unit of a network's outputs; a pure number when it declares none.</summary>
    public Unit Network(string name) => NetworkOutputs.TryGetValue(name, out var unit) ? unit : Unit.One;
}
