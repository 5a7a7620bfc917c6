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
/// A generalised coordinate q of a <see cref="HamiltonianModelAttribute"/> model (paired with the momentum of the same rank)
/// or of a <see cref="LagrangianModelAttribute"/> model (paired with its <see cref="VelocityAttribute"/> field). A
/// <see cref="Vec"/> coordinate of a Hamiltonian model (<c>[Coordinate(Size = 8)] Vec q;</c>) holds several degrees of freedom
/// and pairs with a momentum of the same size.
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

/// <summary>
/// The velocity of a position in a second-order model (<see cref="AccelerationsAttribute"/>) or of a coordinate in a
/// <see cref="LagrangianModelAttribute"/> model: a field of the position's type whose rate is the acceleration. The
/// generator adds x' = v for it, so the model integrates the first-order system (x, v).
/// </summary>
/// <example><c>[State] double x; [Velocity(nameof(x))] double v;</c></example>
[AttributeUsage(AttributeTargets.Field)]
public sealed class VelocityAttribute : Attribute
{
    /// <summary>The velocity of the position (or coordinate) named <paramref name="position"/>.</summary>
    public VelocityAttribute(string position) => Position = position;

    /// <summary>Name of the position (a <c>[State]</c> or <c>[Coordinate]</c> field) this is the velocity of.</summary>
    public string Position { get; }

    /// <summary>
    /// True when the velocity is not observed (Norcliffe et al. 2020: only positions are measured). A latent velocity is
    /// placed after the observed states in <c>y</c>; its initial value comes from data or a learned encoder
    /// (NodeDsl.Runtime.InitialVelocity), or is zero.
    /// </summary>
    public bool Latent { get; set; }
}

/// <summary>
/// The accelerations method of a second-order <see cref="OdeModelAttribute"/> model: parameterless, returning the
/// second derivative of each position that has a <see cref="VelocityAttribute"/> field (one position: a double or Vec;
/// several: a tuple whose element names are the positions).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AccelerationsAttribute : Attribute;

/// <summary>
/// Marks a <c>partial class</c> as a Lagrangian model (Cranmer et al. 2020): states are <see cref="CoordinateAttribute"/>
/// fields and their <see cref="VelocityAttribute"/> fields, and the accelerations are derived from the
/// <see cref="LagrangianAttribute"/> member by the Euler–Lagrange equations
/// q̈ = (∇q̇∇q̇ᵀL)⁻¹ (∇qL − (∇q∇q̇ᵀL) q̇).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LagrangianModelAttribute : Attribute;

/// <summary>The Lagrangian L(q, q̇, t) of a <see cref="LagrangianModelAttribute"/> model: a <c>double</c> property or parameterless method.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method)]
public sealed class LagrangianAttribute : Attribute;
