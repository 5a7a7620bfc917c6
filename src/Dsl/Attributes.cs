namespace NodeDsl;

/// <summary>Marks a <c>partial class</c> as an ODE model: the generator emits a batched TorchSharp module for it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OdeModelAttribute : Attribute
{
    /// <summary>
    /// The unit of time, e.g. <c>"s"</c>, <c>"h"</c> or <c>"d"</c>. Setting it (or any <c>Unit</c> on the model's fields)
    /// turns on the compile-time dimensional analysis of the model's expressions.
    /// </summary>
    public string? TimeUnit { get; set; }
}

/// <summary>
/// Marks a <c>partial class</c> as a Hamiltonian model: states are <see cref="CoordinateAttribute"/> /
/// <see cref="MomentumAttribute"/> pairs and the rates q' = ∂H/∂p, p' = −∂H/∂q are derived from the
/// <see cref="EnergyAttribute"/> member by symbolic differentiation.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HamiltonianModelAttribute : Attribute
{
    /// <summary>
    /// The unit of time, e.g. <c>"s"</c>, <c>"h"</c> or <c>"d"</c>. Setting it (or any <c>Unit</c> on the model's fields)
    /// turns on the compile-time dimensional analysis of the model's expressions.
    /// </summary>
    public string? TimeUnit { get; set; }
}

/// <summary>A state variable. State order in <c>y</c> is declaration order. A <see cref="Vec"/> state needs <see cref="Size"/>.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class StateAttribute : Attribute
{
    /// <summary>Number of components of a <see cref="Vec"/> state (leave unset for <c>double</c>).</summary>
    public int Size { get; set; }

    /// <summary>
    /// The physical unit of the value, e.g. <c>"m"</c>, <c>"1/s"</c>, <c>"kg*m^2/s^2"</c>, <c>"mmol/L"</c>: SI base and derived
    /// units with SI prefixes and powers. When a model declares units, the generator checks its expressions by dimensional
    /// analysis (docs/dsl.md, "Units"); leave unset for a pure number.
    /// </summary>
    public string? Unit { get; set; }
}

/// <summary>
/// An augmented state (Dupont et al., 2019): extra zero-initialised dimensions that are never observed.
/// Augmented states are placed after all observed states in <c>y</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class AugmentedAttribute : Attribute
{
    /// <summary>A one-component augmented state (a <c>double</c> field).</summary>
    public AugmentedAttribute() : this(1) { }

    /// <summary>An augmented <see cref="Vec"/> state with <paramref name="size"/> components.</summary>
    public AugmentedAttribute(int size) => Size = size;

    /// <summary>Number of components.</summary>
    public int Size { get; }
}

/// <summary>A fixed constant of the model (not trained). Must be a <c>double</c> field with an initial value.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ConstantAttribute : Attribute
{
    /// <summary>
    /// The physical unit of the value, e.g. <c>"m"</c>, <c>"1/s"</c>, <c>"kg*m^2/s^2"</c>, <c>"mmol/L"</c>: SI base and derived
    /// units with SI prefixes and powers. When a model declares units, the generator checks its expressions by dimensional
    /// analysis (docs/dsl.md, "Units"); leave unset for a pure number.
    /// </summary>
    public string? Unit { get; set; }
}

/// <summary>A trained physical parameter; its field initialiser is the initial guess.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class LearnableAttribute : Attribute
{
    /// <summary>
    /// The physical unit of the value, e.g. <c>"m"</c>, <c>"1/s"</c>, <c>"kg*m^2/s^2"</c>, <c>"mmol/L"</c>: SI base and derived
    /// units with SI prefixes and powers. When a model declares units, the generator checks its expressions by dimensional
    /// analysis (docs/dsl.md, "Units"); leave unset for a pure number.
    /// </summary>
    public string? Unit { get; set; }
}

/// <summary>The time variable <c>t</c> (a <c>double</c> field); usable in expressions and as a network input.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class TimeAttribute : Attribute;

/// <summary>
/// A per-trajectory input (parametrised / conditioned models): one value per trajectory, constant in time,
/// supplied with the data. A <see cref="Vec"/> input needs <see cref="Size"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Number of components of a <see cref="Vec"/> input (leave unset for <c>double</c>).</summary>
    public int Size { get; set; }

    /// <summary>
    /// The physical unit of the value, e.g. <c>"m"</c>, <c>"1/s"</c>, <c>"kg*m^2/s^2"</c>, <c>"mmol/L"</c>: SI base and derived
    /// units with SI prefixes and powers. When a model declares units, the generator checks its expressions by dimensional
    /// analysis (docs/dsl.md, "Units"); leave unset for a pure number.
    /// </summary>
    public string? Unit { get; set; }
}

/// <summary>
/// A generalised coordinate q of a <see cref="HamiltonianModelAttribute"/> model; paired with the momentum of the same rank.
/// A <see cref="Vec"/> coordinate (<c>[Coordinate(Size = 8)] Vec q;</c>) holds several degrees of freedom and pairs with a
/// momentum of the same size.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class CoordinateAttribute : Attribute
{
    /// <summary>Number of components of a <see cref="Vec"/> coordinate (leave unset for <c>double</c>).</summary>
    public int Size { get; set; }

    /// <summary>
    /// The physical unit of the value, e.g. <c>"m"</c>, <c>"1/s"</c>, <c>"kg*m^2/s^2"</c>, <c>"mmol/L"</c>: SI base and derived
    /// units with SI prefixes and powers. When a model declares units, the generator checks its expressions by dimensional
    /// analysis (docs/dsl.md, "Units"); leave unset for a pure number.
    /// </summary>
    public string? Unit { get; set; }
}

/// <summary>
/// A generalised momentum p of a <see cref="HamiltonianModelAttribute"/> model; the i-th momentum pairs with the i-th
/// coordinate, component by component when both are <see cref="Vec"/>s of the same size.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class MomentumAttribute : Attribute
{
    /// <summary>Number of components of a <see cref="Vec"/> momentum (leave unset for <c>double</c>).</summary>
    public int Size { get; set; }

    /// <summary>
    /// The physical unit of the value, e.g. <c>"m"</c>, <c>"1/s"</c>, <c>"kg*m^2/s^2"</c>, <c>"mmol/L"</c>: SI base and derived
    /// units with SI prefixes and powers. When a model declares units, the generator checks its expressions by dimensional
    /// analysis (docs/dsl.md, "Units"); leave unset for a pure number.
    /// </summary>
    public string? Unit { get; set; }
}

/// <summary>The rates method of an <see cref="OdeModelAttribute"/> model: parameterless, returning the rate of each state (tuple element names = state names).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RatesAttribute : Attribute;

/// <summary>The Hamiltonian H(q, p, t) of a <see cref="HamiltonianModelAttribute"/> model: a <c>double</c> property or parameterless method.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method)]
public sealed class EnergyAttribute : Attribute;

/// <summary>
/// A neural term, declared as a <c>partial</c> method whose body the generator supplies. Either a multilayer
/// perceptron (<c>[Neural(32, 32, Activation = Activation.Tanh)]</c>) or a custom TorchSharp module
/// (<c>[Neural(typeof(MyBlock))]</c>, a <c>Module&lt;Tensor, Tensor&gt;</c> with a parameterless constructor).
/// Inputs are the method's parameters concatenated in order; a <see cref="Vec"/> result needs <see cref="OutputSize"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NeuralAttribute : Attribute
{
    /// <summary>A multilayer perceptron with the given hidden layer widths.</summary>
    public NeuralAttribute(params int[] hiddenSizes) => HiddenSizes = hiddenSizes;

    /// <summary>A custom TorchSharp module type (<c>Module&lt;Tensor, Tensor&gt;</c>, parameterless constructor).</summary>
    public NeuralAttribute(Type moduleType)
    {
        ModuleType = moduleType;
        HiddenSizes = [];
    }

    /// <summary>Hidden layer widths of the perceptron.</summary>
    public int[] HiddenSizes { get; }

    /// <summary>The custom module type, or null for a perceptron.</summary>
    public Type? ModuleType { get; }

    /// <summary>Activation between hidden layers (none after the output layer).</summary>
    public Activation Activation { get; set; } = Activation.Tanh;

    /// <summary>Number of outputs when the method returns a <see cref="Vec"/>.</summary>
    public int OutputSize { get; set; }

    /// <summary>
    /// The unit of every output (e.g. <c>"1/d"</c> for a learned rate) in a model that declares units; outputs are pure
    /// numbers when unset. Inputs of a network are always pure numbers: divide dimensioned values by a scale constant.
    /// </summary>
    public string? OutputUnit { get; set; }
}
