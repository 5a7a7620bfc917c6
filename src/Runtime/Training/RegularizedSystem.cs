using NodeDsl.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Training;

/// <summary>
/// Augments a system with two accumulators, integrated with the state (Finlay et al. 2020, eq. 5–6):
/// <c>d/dt [y, E, J] = [f(t, y), ‖f‖², ‖εᵀ ∂f/∂y‖²]</c>, per row. <c>E(T)</c> is the kinetic energy and <c>J(T)</c> a
/// Hutchinson estimate of <c>∫ ‖∂f/∂y‖²_F dt</c>, unbiased because <c>E[εεᵀ] = I</c>.
/// </summary>
/// <remarks>
/// The augmented state is <c>[batch, n + 2]</c>: the model's state then <see cref="KineticColumn"/> and
/// <see cref="JacobianColumn"/>. The probe is fixed for a whole solve, as in the paper. The Jacobian term needs
/// autograd (a vector–Jacobian product with <c>create_graph</c>), so it is only computed when a probe is given.
/// </remarks>
public sealed class RegularizedSystem : IOdeSystem
{
    readonly IOdeSystem inner;
    readonly Tensor? probe;

    /// <summary>Wraps <paramref name="inner"/>, whose state has <paramref name="stateSize"/> components.</summary>
    /// <param name="inner">The model's vector field.</param>
    /// <param name="stateSize">n, the model's state size.</param>
    /// <param name="probe">Hutchinson probe <c>[batch, n]</c> for the Jacobian term, or null to skip it (its column stays 0).</param>
    public RegularizedSystem(IOdeSystem inner, int stateSize, Tensor? probe)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (stateSize < 1) throw new ArgumentOutOfRangeException(nameof(stateSize));
        if (probe is not null && (probe.dim() != 2 || probe.shape[1] != stateSize))
            throw new ArgumentException($"The probe must be [batch, {stateSize}] but is [{string.Join(", ", probe.shape)}].", nameof(probe));
        (this.inner, StateSize, this.probe) = (inner, stateSize, probe);
    }

    /// <summary>n, the wrapped state size.</summary>
    public int StateSize { get; }
    /// <summary>Column of the kinetic-energy accumulator in the augmented state.</summary>
    public int KineticColumn => StateSize;
    /// <summary>Column of the Jacobian accumulator in the augmented state.</summary>
    public int JacobianColumn => StateSize + 1;

    /// <summary>Appends the two zero accumulators to an initial state <c>[batch, n]</c>.</summary>
    public Tensor Augment(Tensor y0)
    {
        ArgumentNullException.ThrowIfNull(y0);
        using var zeros = torch.zeros(y0.shape[0], 2, y0.dtype, y0.device);
        return torch.cat([y0, zeros], 1);
    }

    /// <summary>A probe <c>[batch, n]</c> drawn from <paramref name="random"/> (host side, so it is part of the saved RNG stream).</summary>
    public static Tensor SampleProbe(SeededRandom random, long batch, int stateSize, ProbeDistribution distribution, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(random);
        var values = new double[batch * stateSize];
        for (int i = 0; i < values.Length; i++)
            values[i] = distribution == ProbeDistribution.Gaussian ? random.NextGaussian() : random.NextRademacher();
        using var host = torch.tensor(values, [batch, stateSize], ScalarType.Float64);
        return host.to(dtype, device);
    }

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        using var scope = NewDisposeScope();
        var state = y.narrow(1, 0, StateSize);
        Tensor f, jacobian;
        if (probe is null)
        {
            f = inner.Rates(t, state);
            jacobian = zeros(y.shape[0], 1, y.dtype, y.device);
        }
        else
        {
            // The first stage of a solve sees data, which does not require grad; a detached leaf gives the same f.
            using var grad = enable_grad();
            var x = state.requires_grad ? state : state.detach().requires_grad_(true);
            f = inner.Rates(t, x);
            // Rates that depend on neither y nor a parameter have no graph (∂f/∂y = 0); autograd.grad would end the
            // process on such an output (TorchSharp's THSAutograd_grad does not catch libtorch's errors).
            var vjp = f.requires_grad ? autograd.grad([f], [x], [probe], retain_graph: true, create_graph: true, allow_unused: true)[0] : null;
            jacobian = vjp is null || vjp.IsInvalid ? zeros(y.shape[0], 1, y.dtype, y.device) : ScalarOps.Square(vjp).sum(1, keepdim: true);
        }
        var kinetic = ScalarOps.Square(f).sum(1, keepdim: true);
        return torch.cat([f, kinetic, jacobian], 1).MoveToOuterDisposeScope();
    }
}
