using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Base class of generated models: a TorchSharp module (learnable parameters and networks registered under the
/// names of their fields and methods) and a batched <see cref="IOdeSystem"/>.
/// </summary>
/// <remarks>
/// <c>y</c> is <c>[batch, Layout.StateSize]</c> in the model's <see cref="DType"/>; observed states come first, augmented
/// states last. Models with <c>[Input]</c> fields read one row of <see cref="Inputs"/> per trajectory.
/// </remarks>
public abstract class OdeModel : nn.Module, IDescribedSystem, ITimeOffsetSystem, IStageVjp
{
    readonly List<(string Name, Parameter Value)> learnables = new();
    Tensor? inputs;
    Tensor? timeOffsets;
    ScalarType dtype;
    Device device;

    /// <summary>Called by generated constructors.</summary>
    /// <exception cref="NativeBackendException">TorchSharp's native library cannot be loaded (the message says why and what to do).</exception>
    protected OdeModel(string name, ModelLayout layout, ModelOptions? options) : base(NativeBackend.Checked(name))
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
        Options = options ?? new ModelOptions();
        dtype = Options.DType;
        device = Options.Device ?? CPU;
        if (Options.DType is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16))
            throw new ArgumentException($"ModelOptions.DType must be a floating-point type, not {Options.DType}.", nameof(options));
    }

    /// <summary>Names, offsets and sizes of states, inputs, parameters and networks.</summary>
    public ModelLayout Layout { get; }

    /// <summary>The options the model was built with.</summary>
    public ModelOptions Options { get; }

    /// <summary>Element type of the model's parameters (follows <c>model.to(dtype)</c>).</summary>
    public ScalarType DType => dtype;

    /// <summary>Device of the model's parameters (follows <c>model.to(device)</c>).</summary>
    public Device Device => device;

    /// <summary>
    /// Per-trajectory inputs, <c>[batch, Layout.InputSize]</c> (or <c>[1, InputSize]</c>, shared by all rows), or null.
    /// The tensor is used as given (no copy), so gradients with respect to the inputs flow through <see cref="Rates"/>.
    /// </summary>
    public Tensor? Inputs
    {
        get => inputs;
        set
        {
            if (value is not null)
            {
                if (Layout.InputSize == 0)
                    throw new ArgumentException($"{GetName()} has no [Input] fields, so it takes no inputs.", nameof(value));
                if (value.dim() != 2 || value.shape[1] != Layout.InputSize)
                    throw new ArgumentException(
                        $"Inputs must have shape [batch, {Layout.InputSize}] ({string.Join(", ", Layout.Inputs.Select(i => i.Name))}) " +
                        $"but have shape [{string.Join(", ", value.shape)}].", nameof(value));
                if (value.dtype != DType)
                    throw new ArgumentException($"Inputs have dtype {value.dtype} but the model was built with {DType}; convert them with .to({DType}).", nameof(value));
            }
            inputs = value;
        }
    }

    /// <summary>
    /// Per-row time offsets <c>[batch, 1]</c> (or <c>[1, 1]</c>), or null: row b's rates are evaluated at
    /// <c>t + TimeOffsets[b]</c> wherever the model reads <c>[Time]</c>, so a batch solved on a grid relative to each row's
    /// start sees absolute times (see <see cref="ITimeOffsetSystem"/>). Models without <c>[Time]</c> ignore them. The
    /// trainer sets and clears them around every solve.
    /// </summary>
    public Tensor? TimeOffsets
    {
        get => timeOffsets;
        set
        {
            if (value is not null)
            {
                if (value.dim() != 2 || value.shape[1] != 1)
                    throw new ArgumentException($"TimeOffsets must have shape [batch, 1] but have shape [{string.Join(", ", value.shape)}].", nameof(value));
                if (value.dtype != DType)
                    throw new ArgumentException($"TimeOffsets have dtype {value.dtype} but the model was built with {DType}; convert them with .to({DType}).", nameof(value));
            }
            timeOffsets = value;
        }
    }

    /// <summary>Sets <see cref="Inputs"/> and returns this model.</summary>
    public OdeModel WithInputs(Tensor? value)
    {
        Inputs = value;
        return this;
    }

    /// <inheritdoc />
    public abstract Tensor Rates(Tensor t, Tensor y);

    /// <summary>
    /// Not thread-safe (it assigns the model's fields). The rates of one state evaluated in plain C# doubles through the model's own scalar code (the test oracle):
    /// sets the model's fields from <paramref name="t"/>, <paramref name="y"/> and <paramref name="inputs"/> and the
    /// current parameter values, then runs the rates (or, for Hamiltonian models, the derived partial derivatives).
    /// </summary>
    public abstract double[] ScalarRates(double t, double[] y, double[]? inputs = null);

    /// <summary>
    /// Appends zeros for the unobserved states (augmented states and latent velocities): <c>[batch, ObservedSize]</c> →
    /// <c>[batch, StateSize]</c>. <see cref="InitialVelocity"/> gives latent velocities a better start.
    /// </summary>
    public Tensor Augment(Tensor observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (observed.shape[^1] != Layout.ObservedSize)
            throw new ArgumentException(
                $"Expected {Layout.ObservedSize} observed components in the last dimension but got {observed.shape[^1]}.", nameof(observed));
        int extra = Layout.StateSize - Layout.ObservedSize;
        if (extra == 0) return observed.alias();
        var shape = observed.shape.ToArray();
        shape[^1] = extra;
        using var zeros = torch.zeros(shape, observed.dtype, observed.device);
        return torch.cat([observed, zeros], -1);
    }

    /// <summary>The observed components (the leading <c>ObservedSize</c> entries of the last dimension) of a state or trajectory.</summary>
    public Tensor Observed(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return y.narrow(-1, 0, Layout.ObservedSize);
    }

    /// <summary>Checks that <paramref name="y"/> is <c>[batch, StateSize]</c> in the model's dtype.</summary>
    protected void CheckState(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.dim() != 2 || y.size(1) != Layout.StateSize)
            throw new ArgumentException(
                $"y must have shape [batch, {Layout.StateSize}] ({string.Join(", ", Layout.ComponentNames)}) but has shape [{string.Join(", ", y.shape)}].",
                nameof(y));
        if (y.dtype != DType)
            throw new ArgumentException($"y has dtype {y.dtype} but the model was built with {DType}; build it with ModelOptions {{ DType = {y.dtype} }} or convert y.", nameof(y));
    }

    /// <summary>
    /// Time as a <c>[batch, 1]</c> column: <paramref name="t"/> is 0-d, <c>[1]</c>, <c>[1, 1]</c> or <c>[batch, 1]</c>;
    /// plus <see cref="TimeOffsets"/> when set.
    /// </summary>
    protected Tensor TimeColumn(Tensor t, long batch)
    {
        ArgumentNullException.ThrowIfNull(t);
        Tensor column;
        if (t.dim() == 2 && t.size(0) == batch && t.size(1) == 1) column = t;
        else if (t.numel() == 1) column = t.reshape(1, 1).expand(batch, 1);
        else throw new ArgumentException($"t must be a 0-d tensor or have shape [batch, 1] = [{batch}, 1] but has shape [{string.Join(", ", t.shape)}].", nameof(t));
        if (timeOffsets is not { } offsets) return column;
        if (offsets.size(0) != batch && offsets.size(0) != 1)
            throw new ArgumentException($"TimeOffsets have {offsets.shape[0]} rows but y has {batch}; give one offset per row (or one shared offset).");
        return column + offsets;
    }

    /// <summary>The inputs as <c>[batch, InputSize]</c>; throws with a remedy when they are missing or the batch differs.</summary>
    protected Tensor InputColumns(long batch)
    {
        var x = inputs ?? throw new InvalidOperationException(
            $"{GetName()} has [Input] fields ({string.Join(", ", Layout.Inputs.Select(i => i.Name))}): set model.Inputs " +
            $"(or call WithInputs) to a [batch, {Layout.InputSize}] tensor before evaluating or solving it.");
        if (x.size(0) == batch) return x;
        if (x.size(0) == 1) return x.expand(batch, Layout.InputSize);
        throw new ArgumentException($"Inputs have {x.shape[0]} rows but y has {batch}; give one input row per trajectory (or one shared row).");
    }

    /// <summary>Broadcasts a 0-d, <c>[batch, 1]</c> or <c>[batch, size]</c> tensor to <c>[batch, size]</c>.</summary>
    protected static Tensor Columns(Tensor x, long batch, long size)
    {
        ArgumentNullException.ThrowIfNull(x);
        // size(i), not shape[i]: shape allocates an array per call (~1 µs here), and this runs on every rates evaluation.
        return x.dim() == 2 && x.size(0) == batch && x.size(1) == size ? x : x.expand(batch, size);
    }

    /// <summary>A <c>[batch, size]</c> tensor filled with <paramref name="value"/> in the model's dtype and device.</summary>
    protected Tensor ConstantColumns(double value, long batch, long size)
    {
        using var s = value.ToScalar(); // kept alive across the native call: docs/notes/torchsharp-scalar-gc-race.md
        return torch.full(new long[] { batch, size }, s, dtype: DType, device: Device);
    }

    /// <summary>
    /// Registers a 0-d learnable parameter named <paramref name="name"/>, initialised to <paramref name="value"/>; the
    /// k-th call's parameter is <c>Learnable(k)</c>. <c>model.to(...)</c> replaces the parameter object, so read it
    /// through <see cref="Learnable"/> rather than keeping the returned instance.
    /// </summary>
    protected Parameter AddParameter(string name, double value)
    {
        using var data = torch.tensor(value, dtype: DType, device: Device);
        var p = new Parameter(data, requires_grad: true);
        // The model outlives any dispose scope its constructor runs in (TorchSharp's own layers do the same).
        p.DetachFromDisposeScope();
        register_parameter(name, p);
        learnables.Add((name, p));
        return p;
    }

    /// <summary>The learnable parameter registered <paramref name="index"/>-th (current after <c>model.to(...)</c>).</summary>
    protected Parameter Learnable(int index) => learnables[index].Value;

    /// <summary>
    /// Moves submodules and the learnable parameters. TorchSharp's default assigns moved parameters to fields of the
    /// same name, which here are the user's <c>double</c> fields, so parameters are kept in a list instead.
    /// </summary>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        foreach (var (_, child) in named_children())
        {
            if (device is null) child.to(dtype!.Value, non_blocking);
            else if (dtype is null) child.to(device, non_blocking);
            else child.to(device, dtype.Value, non_blocking);
        }
        for (int i = 0; i < learnables.Count; i++)
        {
            var (name, param) = learnables[i];
            if (!ReplaceParameter(dtype, device, param, out var moved) || moved is null) continue;
            param.Dispose();
            ConditionallyRegisterParameter(name, moved);
            learnables[i] = (name, moved);
        }
        if (dtype is { } d) this.dtype = d;
        if (device is not null)
        {
            this.device = device;
            _deviceType = device.type;
            _deviceIndex = device.index;
        }
    }

    /// <summary>
    /// Builds and registers a submodule under <paramref name="name"/> with a seed derived from the model seed. Custom
    /// blocks may initialise from torch's global generator, so it is seeded for them (<see cref="SeededConstruction.Create"/>).
    /// </summary>
    protected T AddModule<T>(string name, int index, Func<T> create) where T : nn.Module
        => Register(name, SeededConstruction.Create(Options.Seed, index, create));

    /// <summary>
    /// Builds and registers a perceptron: it draws its weights from its own seeded generator
    /// (<see cref="SeededConstruction.CreateWithGenerator"/>), so the global generator is never touched.
    /// </summary>
    protected Mlp AddModule(string name, int index, Func<Mlp> create)
        => Register(name, SeededConstruction.CreateWithGenerator(Options.Seed, index, create));

    T Register<T>(string name, T module) where T : nn.Module
    {
        module.to(Device, DType);
        register_module(name, module);
        return module;
    }

    /// <summary>Current value of a 0-d parameter as a double (for the scalar oracle).</summary>
    protected static double ScalarValue(Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using var host = parameter.detach().to(ScalarType.Float64, CPU);
        return host.item<double>();
    }

    /// <summary>Overwrites a 0-d parameter's value in place, outside autograd (the setter of a generated learnable property).</summary>
    protected static void SetScalarValue(Tensor parameter, double value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using var noGrad = torch.no_grad();
        using var s = value.ToScalar(); // kept alive across the native call: docs/notes/torchsharp-scalar-gc-race.md
        parameter.fill_(s);
    }

    /// <summary>
    /// The tensors of a generated <see cref="IRatesVjp.Parameters"/>: <c>parameters()</c> in registration order (learnable
    /// scalars, then each network's weights), then <see cref="Inputs"/> when it requires grad.
    /// </summary>
    protected IReadOnlyList<Tensor> VjpParameters()
    {
        var list = new List<Tensor>(parameters());
        if (inputs is { requires_grad: true }) list.Add(inputs);
        return list;
    }

    /// <summary>
    /// True when the model's rows are independent (<see cref="IStageVjp.RowsStack"/>): every network is a built-in perceptron
    /// (a custom <c>[Neural(typeof(…))]</c> module may mix rows, e.g. batch normalisation) and neither <see cref="Inputs"/>
    /// nor <see cref="TimeOffsets"/> is set (they have one row per trajectory).
    /// </summary>
    bool IStageVjp.RowsStack => inputs is null && timeOffsets is null && children().All(m => m is Mlp);

    /// <summary>Checks that the cotangent of a VJP has the shape, dtype and device of <paramref name="y"/>.</summary>
    protected static void CheckCotangent(Tensor a, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(y);
        if (!a.shape.SequenceEqual(y.shape) || a.dtype != y.dtype)
            throw new ArgumentException(
                $"The cotangent a must have the shape and dtype of y ([{string.Join(", ", y.shape)}], {y.dtype}) but has [{string.Join(", ", a.shape)}], {a.dtype}.",
                nameof(a));
    }

    /// <summary>A <c>[batch, size]</c> tensor of zeros in the model's dtype and device (columns a VJP does not reach).</summary>
    protected Tensor ZeroColumns(long batch, long size) => torch.zeros(new long[] { batch, size }, DType, Device);

    /// <summary>
    /// Assembles a generated VJP's result in <see cref="IRatesVjp.Parameters"/> order and moves it out of the VJP's dispose
    /// scope: <paramref name="learnableGradients"/> per learnable, <paramref name="networkGradients"/> per network in
    /// registration order (one slot per <c>parameters()</c> entry), then the inputs' gradient (<c>[batch, InputSize]</c>,
    /// summed to one row when the inputs are one shared row) when <see cref="Inputs"/> requires grad; the time gradient
    /// (<c>[batch, 1]</c>) is summed to the shape of <paramref name="t"/>.
    /// </summary>
    protected RatesVjpResult VjpResult(Tensor f, Tensor vjpY, Tensor?[] learnableGradients, Tensor?[][] networkGradients,
                                       Tensor? inputGradient, Tensor? timeGradient, Tensor t)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(vjpY);
        ArgumentNullException.ThrowIfNull(learnableGradients);
        ArgumentNullException.ThrowIfNull(networkGradients);
        ArgumentNullException.ThrowIfNull(t);
        var parameterList = parameters().ToList();
        var grads = new List<Tensor?>(parameterList.Count + 1);
        grads.AddRange(learnableGradients);
        foreach (var network in networkGradients) grads.AddRange(network);
        if (grads.Count != parameterList.Count)
            throw new InvalidOperationException(
                $"{GetName()} has {parameterList.Count} parameters but its generated VJP knows {grads.Count}; register no extra " +
                "parameters or modules on a generated model (or wrap it with AutogradRatesVjp.For).");
        for (int i = 0; i < grads.Count; i++)
            if (!parameterList[i].requires_grad) grads[i] = null;
        if (inputs is { requires_grad: true })
            grads.Add(inputGradient is null ? null
                : inputs.shape[0] == inputGradient.shape[0] ? inputGradient : inputGradient.sum(0L, keepdim: true));
        Tensor? vjpT = null;
        if (timeGradient is not null)
            vjpT = t.dim() == 2 && t.shape[0] == timeGradient.shape[0] && t.shape[1] == 1 ? timeGradient : timeGradient.sum().reshape(t.shape);
        // Results leave the VJP's scope; one tensor object may serve two results (e.g. x' = y), so each gets its own handle.
        var moved = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        Tensor Out(Tensor x) => (moved.Add(x) ? x : x.alias()).MoveToOuterDisposeScope();
        var outF = Out(f);
        var outY = Out(vjpY);
        var outParams = grads.Select(g => g is null ? null : Out(g)).ToArray();
        return new RatesVjpResult(outF, outY, outParams, vjpT is null ? null : Out(vjpT));
    }

    /// <summary>Checks the host-side arguments of <see cref="ScalarRates"/>.</summary>
    protected void CheckScalarArguments(double[] y, double[]? inputs)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Length != Layout.StateSize)
            throw new ArgumentException($"y must have {Layout.StateSize} components ({string.Join(", ", Layout.ComponentNames)}) but has {y.Length}.", nameof(y));
        if (Layout.InputSize > 0 && (inputs is null || inputs.Length != Layout.InputSize))
            throw new ArgumentException($"inputs must have {Layout.InputSize} components ({string.Join(", ", Layout.Inputs.Select(i => i.Name))}).", nameof(inputs));
    }
}
