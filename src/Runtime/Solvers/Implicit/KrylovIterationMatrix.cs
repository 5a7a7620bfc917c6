using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The simplified Newton matrix <c>M = I − γhJ</c> of one step, held matrix-free: <c>J</c> is the Jacobian at the step's
/// start <c>(t0, y0)</c> (as the dense path's), applied through Jacobian–vector products, and <c>M Δ = r</c> is solved by
/// batched GMRES (<see cref="Gmres"/>). Nothing of size <c>n×n</c> is formed. Products, in order of preference: the system's
/// own (<see cref="IJacobianVectorProduct"/>); autograd, with one graph per step: <c>g(u) = uᵀJ</c> is built once with
/// <c>create_graph</c>, and each product is one backward pass of g, <c>Jv = ∂(g(u)·v)/∂u</c>; forward differences
/// <c>(f(y0 + εv) − f(y0))/ε</c>, <c>ε = √u_r (1 + ‖y0‖)/‖v‖</c> per row (Knoll &amp; Keyes 2004, eq. 14), one evaluation each.
/// </summary>
internal sealed class KrylovIterationMatrix : INewtonMatrix, IDisposable
{
    readonly Func<Tensor, Tensor> _jacobianTimes;
    readonly StepPoint _step;
    readonly double _gamma;
    readonly KrylovSettings _settings;
    readonly List<Tensor> _owned;

    /// <summary>Products of J with a vector spent by the solves so far.</summary>
    public int Products { get; private set; }

    KrylovIterationMatrix(Func<Tensor, Tensor> jacobianTimes, StepPoint step, double gamma, KrylovSettings settings, List<Tensor> owned)
        => (_jacobianTimes, _step, _gamma, _settings, _owned) = (jacobianTimes, step, gamma, settings, owned);

    /// <summary>Linearises <paramref name="f"/> at <c>(t0, y0)</c> for <c>M = I − γhJ</c>.</summary>
    public static KrylovIterationMatrix Create(IOdeSystem f, StepPoint step, Tensor y0, Tensor f0, double gamma, JacobianMethod method,
        KrylovSettings settings, SolveCounters counters)
    {
        // The linearisation (graph, detached copies) lives as long as this matrix, not as long as the caller's scope.
        var owned = new List<Tensor>();
        Tensor Own(Tensor t)
        {
            owned.Add(t.DetachFromDisposeScope());
            return t;
        }
        var t0 = Own(step.T0.detach());
        var y = Own(y0.detach());
        Func<Tensor, Tensor> product = f is IJacobianVectorProduct declared
            ? v => declared.JacobianVectorProduct(t0, y, v)
            : method == JacobianMethod.Autograd && DoubleBackward(f, t0, y, counters, Own) is { } byAutograd
                ? byAutograd
                : ForwardDifference(f, t0, y, Own(f0.detach()), counters, Own);
        return new KrylovIterationMatrix(product, step, gamma, settings, owned);
    }

    /// <summary>Solves <c>(I − γhJ) Δ = r</c> by GMRES; null when it does not reach the tolerance within the budget.</summary>
    public Tensor? Solve(Tensor r)
    {
        var x = Gmres.Solve(Apply, r, _settings, out int iterations);
        Products += iterations;
        return x;
    }

    Tensor Apply(Tensor v) => v.sub(_step.Scale(_jacobianTimes(v), _gamma));

    /// <summary>
    /// Jv from reverse mode twice: <c>g(u) = ∂(u·f)/∂y = uᵀJ</c> is linear in u; its derivative in direction v is Jv.
    /// Null when the rates do not depend differentiably on y (then finite differences are used).
    /// </summary>
    static Func<Tensor, Tensor>? DoubleBackward(IOdeSystem f, Tensor t0, Tensor y0, SolveCounters counters, Func<Tensor, Tensor> own)
    {
        using var grad = torch.enable_grad();
        var y = own(y0.detach().requires_grad_(true));
        var fy = own(counters.Rates(f, t0, y));
        if (!fy.requires_grad) return null;
        var u = own(zeros_like(fy).requires_grad_(true));
        var g = torch.autograd.grad([fy], [y], [u], create_graph: true, allow_unused: true)[0];
        if (g is not null && !g.IsInvalid) own(g);
        // f does not depend on y at all: J = 0.
        if (g is null || g.IsInvalid || !g.requires_grad) return v => zeros_like(v);
        return v =>
        {
            using var gradMode = torch.enable_grad();
            var jv = torch.autograd.grad([g], [u], [v], retain_graph: true, allow_unused: true)[0];
            return jv is null || jv.IsInvalid ? zeros_like(v) : jv.detach();
        };
    }

    static Func<Tensor, Tensor> ForwardDifference(IOdeSystem f, Tensor t0, Tensor y0, Tensor f0, SolveCounters counters, Func<Tensor, Tensor> own)
    {
        double root = Math.Sqrt(RatesJacobian.UnitRoundoff(y0.dtype));
        using var noGrad = torch.no_grad();
        var scale = own(ScalarOps.Mul(ScalarOps.Add(ScalarOps.Square(y0).sum(1, keepdim: true).sqrt(), 1), root));
        return v =>
        {
            using var noGrad = torch.no_grad();
            var epsilon = scale.div(ScalarOps.ClampMin(ScalarOps.Square(v).sum(1, keepdim: true).sqrt(), 1e-30));
            return counters.Rates(f, t0, y0.add(v.mul(epsilon), ScalarOps.One)).sub(f0).div(epsilon);
        };
    }

    /// <summary>Releases the linearisation.</summary>
    public void Dispose()
    {
        foreach (var tensor in _owned) tensor.Dispose();
        _owned.Clear();
    }
}
