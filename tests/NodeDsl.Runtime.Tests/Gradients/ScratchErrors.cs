namespace NodeDsl.Runtime.Tests.Gradients;
[Collection(nameof(GradientCollection))]
public class ScratchErrors
{
    [Fact]
    public void Probe()
    {
        var r = new List<string>();
        foreach (var name in GradientCase.Names)
            foreach (var solver in new[] { "rk4", "dopri5" })
            {
                if (name == "pendulum" && solver == "dopri5") continue;
                var c = GradientCase.Create(name);
                var (s, o) = GradientCheck.Solver(solver);
                foreach (var (mn, m) in new[] { ("direct", GradientMethod.Direct), ("checkpointed", GradientMethod.Checkpointed()), ("backsolve", GradientMethod.Backsolve()) })
                    r.Add($"{name}/{solver}/{mn}={GradientCheck.MaxError(c, m, s, o).Error:E1}");
            }
        var lv = GradientCase.Create("lv");
        var (ds, dopts) = GradientCheck.Dopri5;
        var direct = GradientCheck.Gradients(lv, GradientMethod.Direct, ds, dopts);
        foreach (var tol in new[] { 1e-4, 1e-6, 1e-8 })
            r.Add($"lv conv {tol:E0}={BacksolveAdjointTests.RelativeDifference(direct, GradientCheck.Gradients(lv, GradientMethod.Backsolve(new AdjointOptions { RelativeTolerance = tol, AbsoluteTolerance = tol * 1e-2 }), ds, dopts)):E1}");
        Assert.Fail(string.Join("; ", r));
    }
}
