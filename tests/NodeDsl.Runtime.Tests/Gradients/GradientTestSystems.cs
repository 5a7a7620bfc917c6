using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>Plain neural ODE in the spiral form: dy/dt = MLP(y³), a 2→16→tanh→2 network.</summary>
internal sealed class CubicMlpOde : nn.Module<Tensor, Tensor>, IOdeSystem
{
    readonly nn.Module<Tensor, Tensor> net;

    public CubicMlpOde(int hidden = 16, long seed = 1) : base(nameof(CubicMlpOde))
    {
        manual_seed(seed);
        net = nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, 2));
        RegisterComponents();
        this.to(float64);
    }

    public override Tensor forward(Tensor y) => net.forward(y.pow(3));

    public Tensor Rates(Tensor t, Tensor y) => forward(y);
}

/// <summary>
/// Lotka–Volterra universal differential equation: known growth αx and death −δy (α learnable, δ fixed) plus a
/// small network for the unknown interaction terms.
/// </summary>
internal sealed class LotkaVolterraUde : nn.Module<Tensor, Tensor>, IOdeSystem
{
    readonly nn.Module<Tensor, Tensor> net;
    readonly TorchSharp.Modules.Parameter alpha;
    const double Delta = 1.8;

    public LotkaVolterraUde(long seed = 2) : base(nameof(LotkaVolterraUde))
    {
        manual_seed(seed);
        alpha = new TorchSharp.Modules.Parameter(tensor(1.3, float64));
        net = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2));
        RegisterComponents();
        this.to(float64);
    }

    public Tensor Alpha => alpha;

    public override Tensor forward(Tensor y)
    {
        var u = net.forward(y);
        var x = y.narrow(1, 0, 1);
        var p = y.narrow(1, 1, 1);
        return cat([x.mul(alpha).add(u.narrow(1, 0, 1)), ScalarOps.Mul(p, -Delta).add(u.narrow(1, 1, 1))], 1);
    }

    public Tensor Rates(Tensor t, Tensor y) => forward(y);
}

/// <summary>
/// A parametrized, time-dependent plain system (not a module): a forced damped oscillator
/// x' = v, v' = −μ x − c v + 0.5 sin(ω t), with per-trajectory stiffness μ (<c>[batch, 1]</c> inputs) and learnable damping c
/// and frequency ω. Its tensors are handed to the adjoint methods with <see cref="AutogradRatesVjp.For"/>.
/// </summary>
internal sealed class ForcedOscillator(Tensor mu, Tensor damping, Tensor omega) : IOdeSystem
{
    public Tensor Mu => mu;
    public Tensor Damping => damping;
    public Tensor Omega => omega;

    public Tensor Rates(Tensor t, Tensor y)
    {
        var x = y.narrow(1, 0, 1);
        var v = y.narrow(1, 1, 1);
        var forcing = ScalarOps.Mul(t.mul(omega).sin(), 0.5);
        return cat([v, mu.mul(x).neg().sub(damping.mul(v)).add(forcing)], 1);
    }

    public static (ForcedOscillator System, AutogradRatesVjp Wrapped) Create(int batch)
    {
        var mu = linspace(0.8, 1.6, batch, dtype: float64).reshape(batch, 1).requires_grad_(true);
        var damping = tensor(0.15, float64).requires_grad_(true);
        var omega = tensor(1.7, float64).requires_grad_(true);
        var system = new ForcedOscillator(mu, damping, omega);
        return (system, AutogradRatesVjp.For(system, mu, damping, omega));
    }
}

/// <summary>
/// Hamiltonian pendulum written by hand: H(q, p) = p²/2 + w (1 − cos q) + V_θ(q) with learnable w and a small
/// network potential V_θ; the rates q' = ∂H/∂p, p' = −∂H/∂q come from autograd of H (so gradients need double backward).
/// </summary>
internal sealed class HamiltonianPendulum : nn.Module<Tensor, Tensor>, IOdeSystem
{
    readonly nn.Module<Tensor, Tensor> potential;
    readonly TorchSharp.Modules.Parameter w;

    public HamiltonianPendulum(long seed = 3) : base(nameof(HamiltonianPendulum))
    {
        manual_seed(seed);
        w = new TorchSharp.Modules.Parameter(tensor(2.0, float64));
        potential = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1));
        RegisterComponents();
        this.to(float64);
    }

    /// <summary>H per row, <c>[batch, 1]</c>.</summary>
    public override Tensor forward(Tensor y)
    {
        var q = y.narrow(1, 0, 1);
        var p = y.narrow(1, 1, 1);
        return ScalarOps.Mul(p.square(), 0.5).add(ScalarOps.Add(q.cos().neg(), 1).mul(w)).add(ScalarOps.Mul(potential.forward(q), 0.1));
    }

    public Tensor Rates(Tensor t, Tensor y)
    {
        // Keep the graph of ∂H/∂y only when the caller records one (direct backprop, adjoint VJPs, replays).
        bool record = is_grad_enabled();
        using var gradMode = enable_grad();
        var yy = y.requires_grad ? y : y.detach().requires_grad_(true);
        var h = forward(yy).sum();
        // TorchSharp's retain_graph defaults to false even with create_graph (PyTorch's follows create_graph): the
        // graph of H must survive for the backward pass through these rates.
        var dh = autograd.grad([h], [yy], retain_graph: record, create_graph: record)[0];
        var rates = cat([dh.narrow(1, 1, 1), dh.narrow(1, 0, 1).neg()], 1);
        return record ? rates : rates.detach();
    }
}
