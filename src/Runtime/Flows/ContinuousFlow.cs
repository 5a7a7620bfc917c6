using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Flows;

/// <summary>How the trace of the Jacobian <c>tr(∂f/∂z)</c> is computed.</summary>
public enum DivergenceMethod
{
    /// <summary>Exactly, with one vector–Jacobian product per dimension: <c>Σ_i e_iᵀ (∂f/∂z) e_i</c> (for evaluation in low dimensions).</summary>
    Exact,
    /// <summary>Hutchinson's unbiased estimate <c>εᵀ (∂f/∂z) ε</c> with <c>E[εεᵀ] = I</c>: one vector–Jacobian product (FFJORD's training estimator).</summary>
    Hutchinson,
}

/// <summary>
/// The augmented dynamics of a continuous normalizing flow (Chen et al. 2018 §4; FFJORD, Grathwohl et al. 2019, eq. 4):
/// <c>d/dt [z, Δ] = [f(t, z), −tr(∂f/∂z)]</c>, so that <c>log p(z(t₀)) = log p(z(t₁)) − Δ(t₁)</c> when Δ(t₀) = 0.
/// With <see cref="TracksRegularizers"/> two more columns accumulate Finlay et al.'s (2020) kinetic energy
/// <c>‖f‖²</c> and the Jacobian term <c>‖εᵀ ∂f/∂z‖²</c>, which reuses the Hutchinson product the divergence already needs.
/// </summary>
/// <remarks>
/// <para>State layout <c>[batch, d + 1 (+ 2)]</c>: z, Δ (<see cref="LogDensityColumn"/>), then E and J
/// (<see cref="KineticColumn"/>, <see cref="JacobianColumn"/>). The probe ε is fixed for the whole solve, as the adjoint's
/// backward solve must see the same field.</para>
/// <para>Products: when no autograd graph is wanted (grad mode off, or nothing requires grad) and the field implements
/// <see cref="IRatesVjp"/> (generated models do), each <c>vᵀ ∂f/∂z</c> is one call of its analytic VJP. Otherwise the
/// field is evaluated with a graph and the products come from <c>autograd.grad(create_graph)</c>, so that the divergence
/// can itself be differentiated (direct backpropagation, or the adjoint through <see cref="IRatesVjp"/> on this class).</para>
/// </remarks>
public sealed class ContinuousFlow : IOdeSystem, IRatesVjp
{
    readonly IOdeSystem field;
    readonly Tensor[] fieldParameters;
    readonly Tensor? probe;
    readonly AutogradRatesVjp autograd;

    /// <summary>Wraps the vector field <paramref name="field"/> on <paramref name="dimension"/> components.</summary>
    /// <param name="field">f(t, z); its parameters are found as for <see cref="AutogradRatesVjp.For"/> (a module's parameters).</param>
    /// <param name="dimension">d, the number of components of z.</param>
    /// <param name="divergence">Exact trace or Hutchinson's estimate.</param>
    /// <param name="probe">ε, <c>[batch, d]</c> or <c>[1, d]</c>, for <see cref="DivergenceMethod.Hutchinson"/> (required) and for the Jacobian regulariser.</param>
    /// <param name="tracksRegularizers">Append the kinetic-energy and Jacobian accumulators (needs a probe).</param>
    public ContinuousFlow(IOdeSystem field, int dimension, DivergenceMethod divergence, Tensor? probe = null, bool tracksRegularizers = false)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The flow needs at least one dimension.");
        if (!Enum.IsDefined(divergence)) throw new ArgumentOutOfRangeException(nameof(divergence), divergence, "Not a DivergenceMethod.");
        if ((divergence == DivergenceMethod.Hutchinson || tracksRegularizers) && probe is null)
            throw new ArgumentException("Hutchinson's estimator and the Jacobian regulariser need a probe ε [batch, d]; draw one per solve.", nameof(probe));
        if (probe is not null && (probe.dim() != 2 || probe.shape[1] != dimension))
            throw new ArgumentException($"The probe must be [batch, {dimension}] but is [{string.Join(", ", probe.shape)}].", nameof(probe));
        (this.field, Dimension, Divergence, this.probe, TracksRegularizers) = (field, dimension, divergence, probe, tracksRegularizers);
        fieldParameters = field is nn.Module module ? module.parameters().ToArray<Tensor>() : [];
        autograd = new AutogradRatesVjp(this, fieldParameters);
    }

    /// <summary>d, the number of components of z.</summary>
    public int Dimension { get; }
    /// <summary>How the trace is computed.</summary>
    public DivergenceMethod Divergence { get; }
    /// <summary>Whether the state carries the two regulariser accumulators.</summary>
    public bool TracksRegularizers { get; }
    /// <summary>Column of Δ = −∫ tr(∂f/∂z) dt.</summary>
    public int LogDensityColumn => Dimension;
    /// <summary>Column of the kinetic energy ∫ ‖f‖² dt (with <see cref="TracksRegularizers"/>).</summary>
    public int KineticColumn => Dimension + 1;
    /// <summary>Column of the Jacobian term ∫ ‖εᵀ ∂f/∂z‖² dt (with <see cref="TracksRegularizers"/>).</summary>
    public int JacobianColumn => Dimension + 2;
    /// <summary>Width of the augmented state.</summary>
    public int StateSize => Dimension + (TracksRegularizers ? 3 : 1);

    /// <summary>The initial augmented state: z₀ followed by zero accumulators.</summary>
    public Tensor Augment(Tensor z0)
    {
        ArgumentNullException.ThrowIfNull(z0);
        if (z0.dim() != 2 || z0.shape[1] != Dimension)
            throw new ArgumentException($"z₀ must be [batch, {Dimension}] but is [{string.Join(", ", z0.shape)}].", nameof(z0));
        using var zeros = torch.zeros(z0.shape[0], StateSize - Dimension, z0.dtype, z0.device);
        return cat([z0, zeros], 1);
    }

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(y);
        if (y.dim() != 2 || y.shape[1] != StateSize)
            throw new ArgumentException($"The augmented state must be [batch, {StateSize}] but is [{string.Join(", ", y.shape)}].", nameof(y));
        using var scope = NewDisposeScope();
        var z = y.narrow(1, 0, Dimension);
        var (f, trace, probed) = Products(t, z);
        var columns = new List<Tensor> { f, trace.neg().unsqueeze(1) };
        if (TracksRegularizers)
        {
            columns.Add(ScalarOps.Square(f).sum(1, keepdim: true));
            columns.Add(ScalarOps.Square(probed!).sum(1, keepdim: true));
        }
        return cat(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// f(t, z), the divergence (exact or estimated) <c>[batch]</c> and, when a probe is set, <c>εᵀ ∂f/∂z</c> <c>[batch, d]</c>.
    /// </summary>
    public (Tensor F, Tensor Divergence, Tensor? Probed) Products(Tensor t, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        bool graph = is_grad_enabled() && (z.requires_grad || fieldParameters.Any(p => p.requires_grad));
        var vectors = new List<Tensor>();
        if (Divergence == DivergenceMethod.Exact)
        {
            var identity = eye(Dimension, dtype: z.dtype, device: z.device);
            for (int i = 0; i < Dimension; i++) vectors.Add(identity.select(0, i).expand(z.shape[0], Dimension));
        }
        int probeSlot = -1;
        if (probe is not null && (Divergence == DivergenceMethod.Hutchinson || TracksRegularizers))
        {
            probeSlot = vectors.Count;
            vectors.Add(probe.expand(z.shape[0], Dimension));
        }

        Tensor f;
        var products = new Tensor[vectors.Count];
        if (!graph && field is IRatesVjp analytic)
        {
            f = null!;
            for (int i = 0; i < vectors.Count; i++)
            {
                var r = analytic.Vjp(t, z, vectors[i]);
                f ??= r.F;
                products[i] = r.VjpY;
            }
            f ??= field.Rates(t, z);
        }
        else
        {
            using var gradMode = enable_grad();
            var x = graph && z.requires_grad ? z : z.detach().requires_grad_(true);
            f = field.Rates(t, x);
            for (int i = 0; i < vectors.Count; i++)
                products[i] = torch.autograd.grad([f], [x], [vectors[i]], retain_graph: true, create_graph: graph, allow_unused: true)[0]
                              ?? zeros_like(x);
            if (!graph) f = f.detach();
        }

        Tensor trace = Divergence == DivergenceMethod.Exact
            ? stack(Enumerable.Range(0, Dimension).Select(i => products[i].select(1, i)).ToArray(), 1).sum(1)
            : (products[probeSlot] * vectors[probeSlot]).sum(1);
        var probed = probeSlot >= 0 ? products[probeSlot].MoveToOuterDisposeScope() : null;
        return (f.MoveToOuterDisposeScope(), trace.MoveToOuterDisposeScope(), probed);
    }

    /// <inheritdoc />
    /// <remarks>The field's parameters: the adjoint differentiates the augmented dynamics (divergence included) by autograd.</remarks>
    public IReadOnlyList<Tensor> Parameters => autograd.Parameters;

    /// <inheritdoc />
    public RatesVjpResult Vjp(Tensor t, Tensor y, Tensor a, bool withTime = false) => autograd.Vjp(t, y, a, withTime);
}
