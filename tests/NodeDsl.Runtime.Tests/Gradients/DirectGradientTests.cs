namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>Direct backpropagation through the solver against central finite differences.</summary>
[Collection(nameof(GradientCollection))]
public class DirectGradientTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in GradientCase.Names)
        {
            data.Add(name, "rk4");
            // The pendulum's rates need double backward at every stage; RK4 covers it at a fraction of dopri5's cost.
            if (name != "pendulum") data.Add(name, "dopri5");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string caseName, string solverName)
    {
        // Direct backprop differentiates the discrete solution exactly, and FD (ε = 1e-5) is accurate to ~1e-10 relative,
        // so 1e-6 leaves four orders of margin; for dopri5 the step sizes also move with the parameters (FD sees that, the
        // gradient treats them as constants), an O(rtol) = 1e-10 effect at this tolerance.
        var c = GradientCase.Create(caseName);
        var (solver, options) = GradientCheck.Solver(solverName);
        var (error, where) = GradientCheck.MaxError(c, GradientMethod.Direct, solver, options);
        Assert.True(error <= 1e-6, $"{caseName}/{solverName}: relative error {error:E2} at {where}");
    }
}
