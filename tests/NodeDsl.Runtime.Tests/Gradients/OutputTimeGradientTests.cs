using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>∂L/∂ts (Chen et al.'s time gradients) against finite differences in each output time.</summary>
[Collection(nameof(GradientCollection))]
public class OutputTimeGradientTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in new[] { "oscillator", "lv" })
            foreach (var method in new[] { "direct", "backsolve", "checkpointed" })
                data.Add(name, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string caseName, string methodName)
    {
        // The gradient uses the exact-flow identities ∂L/∂t_i = g_iᵀf and ∂L/∂t_0 = −a(t_0⁺)ᵀf; FD differentiates the
        // dopri5 solution at rtol 1e-10, whose dense output's time derivative equals f to ~1e-8 relative. Bound 1e-6.
        var c = GradientCase.Create(caseName);
        var (solver, options) = GradientCheck.Dopri5;
        GradientMethod method = methodName switch
        {
            "direct" => GradientMethod.Direct,
            "backsolve" => GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 }),
            _ => GradientMethod.Checkpointed(),
        };
        var ts = c.Ts.clone().requires_grad_(true);
        var timed = c with { Ts = ts };
        var grad = GradientCheck.Gradients(timed, method, solver, options, [ts])[0];
        // FD in the first, a middle and the last output time: ∂L/∂t_0 (through a(t_0⁺)), an interior and the end point.
        int last = (int)ts.shape[0] - 1;
        var indices = new[] { 0, last / 2, last };
        grad = grad.index_select(0, tensor(indices.Select(i => (long)i).ToArray()));
        var fd = zeros_like(grad);
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            using var e = zeros_like(ts);
            e[i] = ones(1, dtype: float64)[0];
            fd[k] = FiniteDifferences.Directional(() => GradientCheck.Loss(timed, method, solver, options), ts, e, 1e-6);
        }
        double error = grad.sub(fd).norm().item<double>() / fd.norm().item<double>();
        Assert.True(error <= 1e-6, $"{caseName}/{methodName}: ‖Δ‖/‖fd‖ = {error:E2}; grad [{string.Join(", ", grad.data<double>().ToArray())}] fd [{string.Join(", ", fd.data<double>().ToArray())}]");
    }
}
