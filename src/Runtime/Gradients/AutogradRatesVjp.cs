using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Vector–Jacobian products of any <see cref="IOdeSystem"/> by <c>torch.autograd.grad</c>: one forward evaluation with a
/// graph and one backward pass per call. It is also an <see cref="IOdeSystem"/> (forwarding <see cref="Rates"/>), so a
/// plain system plus the tensors it captures can be handed to the adjoint methods as one object.
/// </summary>
/// <example><code>
/// var alpha = torch.tensor(1.0, requires_grad: true);
/// var system = AutogradRatesVjp.For(new DelegateOdeSystem((t, y) => y * alpha), alpha);
/// var sol = Ode.Solve(system, y0, ts, Solvers.Dopri5, options, GradientMethod.Backsolve());
/// </code></example>
public sealed class AutogradRatesVjp : IOdeSystem, IRatesVjp
{
    readonly IOdeSystem system;
    readonly Tensor[] parameters;

    /// <summary>Wraps <paramref name="system"/>; <paramref name="parameters"/> are exactly the tensors to differentiate for.</summary>
    public AutogradRatesVjp(IOdeSystem system, IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(parameters);
        this.system = system;
        this.parameters = Distinct(parameters).ToArray();
    }

    /// <summary>
    /// Wraps <paramref name="system"/> with every tensor it is known to depend on: the parameters of a TorchSharp module,
    /// the <see cref="IDescribedSystem.Inputs"/> of a model when they require grad, and <paramref name="extra"/> (tensors a plain
    /// system captures, e.g. per-trajectory inputs).
    /// </summary>
    public static AutogradRatesVjp For(IOdeSystem system, params Tensor[] extra)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(extra);
        var found = new List<Tensor>();
        if (system is nn.Module module) found.AddRange(module.parameters());
        if (system is IDescribedSystem { Inputs: { requires_grad: true } inputs }) found.Add(inputs);
        found.AddRange(extra);
        return new AutogradRatesVjp(system, found);
    }

    /// <summary>
    /// The VJP the adjoint methods use for <paramref name="system"/>: the system itself when it implements
    /// <see cref="IRatesVjp"/> (generated models, or an <see cref="AutogradRatesVjp"/>), else <see cref="For"/>.
    /// A plain system that captures tensors requiring grad must be wrapped with <see cref="For"/> to get their gradients.
    /// </summary>
    public static IRatesVjp Resolve(IOdeSystem system)
        => system as IRatesVjp ?? For(system);

    /// <summary>The wrapped system.</summary>
    public IOdeSystem System => system;

    /// <inheritdoc />
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <inheritdoc />
    public Tensor Rates(Tensor t, Tensor y) => system.Rates(t, y);

    /// <inheritdoc />
    public RatesVjpResult Vjp(Tensor t, Tensor y, Tensor a, bool withTime = false)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(a);
        using var scope = NewDisposeScope();
        // Adjoint backward passes run inside autograd's engine, where grad mode is off.
        using var gradMode = enable_grad();
        var yv = y.detach().requires_grad_(true);
        var tv = withTime ? t.detach().requires_grad_(true) : t;
        var f = system.Rates(tv, yv);
        var wrt = new List<Tensor> { yv };
        var slots = new int[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            slots[i] = parameters[i].requires_grad ? wrt.Count : -1;
            if (slots[i] >= 0) wrt.Add(parameters[i]);
        }
        if (withTime) wrt.Add(tv);
        var grads = f.requires_grad
            ? autograd.grad([f], wrt, [a], allow_unused: true)
            : wrt.Select(_ => (Tensor?)null).ToList()!;
        Tensor? Take(int slot) => slot >= 0 && grads[slot] is { IsInvalid: false } g ? g.MoveToOuterDisposeScope() : null;
        var vjpY = Take(0) ?? zeros_like(y).MoveToOuterDisposeScope();
        var vjpParams = slots.Select(Take).ToArray();
        var vjpT = withTime ? Take(wrt.Count - 1) : null;
        return new RatesVjpResult(f.detach().MoveToOuterDisposeScope(), vjpY, vjpParams, vjpT);
    }

    static IEnumerable<Tensor> Distinct(IEnumerable<Tensor> tensors)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in tensors)
        {
            ArgumentNullException.ThrowIfNull(t);
            if (seen.Add(t)) yield return t;
        }
    }
}
