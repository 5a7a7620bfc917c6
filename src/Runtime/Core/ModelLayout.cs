namespace NodeDsl.Runtime;

/// <summary>Role of a block of components of the state vector.</summary>
public enum StateKind
{
    /// <summary>An observed state (<c>[State]</c>).</summary>
    State,
    /// <summary>A zero-initialised augmented state, never observed (<c>[Augmented]</c>).</summary>
    Augmented,
    /// <summary>A generalised coordinate q of a Hamiltonian model.</summary>
    Coordinate,
    /// <summary>A generalised momentum p of a Hamiltonian model.</summary>
    Momentum,
    /// <summary>An observed position x of a second-order model (<c>[State]</c> with a <c>[Velocity]</c>): x' = v.</summary>
    Position,
    /// <summary>An observed velocity v = x' of a second-order or Lagrangian model: v' is the acceleration.</summary>
    Velocity,
    /// <summary>A velocity that is not observed (<c>[Velocity(…, Latent = true)]</c>), placed after the observed states.</summary>
    LatentVelocity,
}

/// <summary>A named block of components of the state vector <c>y[:, Offset .. Offset + Size]</c>.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Offset">First column in <c>y</c>.</param>
/// <param name="Size">Number of columns.</param>
/// <param name="Kind">Its role.</param>
/// <param name="Position">For a velocity (<see cref="StateKind.Velocity"/>, <see cref="StateKind.LatentVelocity"/>), the name of the position it is the derivative of; null otherwise.</param>
public sealed record StateInfo(string Name, int Offset, int Size, StateKind Kind, string? Position = null);

/// <summary>A named block of the per-trajectory input vector <c>inputs[:, Offset .. Offset + Size]</c>.</summary>
public sealed record InputInfo(string Name, int Offset, int Size);

/// <summary>A learnable scalar parameter and its initial value.</summary>
public sealed record ParameterInfo(string Name, double InitialValue);

/// <summary>A neural term: registered module name, input and output widths, architecture in words.</summary>
public sealed record NetworkInfo(string Name, int InputSize, int OutputSize, string Architecture);

/// <summary>Names, offsets and sizes of a model's states, inputs, parameters and networks.</summary>
public sealed class ModelLayout
{
    /// <summary>Creates a layout; offsets must be contiguous (the generator guarantees it).</summary>
    public ModelLayout(IReadOnlyList<StateInfo> states, IReadOnlyList<InputInfo> inputs,
                       IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<NetworkInfo> networks)
    {
        States = states;
        Inputs = inputs;
        Parameters = parameters;
        Networks = networks;
        StateSize = states.Sum(s => s.Size);
        ObservedSize = states.Where(s => s.Kind is not (StateKind.Augmented or StateKind.LatentVelocity)).Sum(s => s.Size);
        InputSize = inputs.Sum(i => i.Size);
        ComponentNames = states.SelectMany(s => s.Size == 1
            ? [s.Name]
            : Enumerable.Range(0, s.Size).Select(i => $"{s.Name}[{i}]")).ToArray();
    }

    /// <summary>State blocks in <c>y</c> order (observed first; latent velocities and augmented states last).</summary>
    public IReadOnlyList<StateInfo> States { get; }
    /// <summary>Per-trajectory input blocks in <c>inputs</c> order.</summary>
    public IReadOnlyList<InputInfo> Inputs { get; }
    /// <summary>Learnable scalar parameters.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    /// <summary>Neural terms.</summary>
    public IReadOnlyList<NetworkInfo> Networks { get; }
    /// <summary>Number of components of <c>y</c>.</summary>
    public int StateSize { get; }
    /// <summary>Number of observed components (the leading <c>ObservedSize</c> columns of <c>y</c>).</summary>
    public int ObservedSize { get; }
    /// <summary>Number of per-trajectory input components.</summary>
    public int InputSize { get; }
    /// <summary>One name per component of <c>y</c>, e.g. <c>prey</c> or <c>h[1]</c> (for plots and tables).</summary>
    public IReadOnlyList<string> ComponentNames { get; }

    /// <summary>The state block named <paramref name="name"/>.</summary>
    public StateInfo State(string name)
        => States.FirstOrDefault(s => s.Name == name)
           ?? throw new ArgumentException($"No state named '{name}'. States: {string.Join(", ", States.Select(s => s.Name))}.", nameof(name));

    /// <summary>The input block named <paramref name="name"/>.</summary>
    public InputInfo Input(string name)
        => Inputs.FirstOrDefault(s => s.Name == name)
           ?? throw new ArgumentException($"No input named '{name}'. Inputs: {string.Join(", ", Inputs.Select(s => s.Name))}.", nameof(name));
}
