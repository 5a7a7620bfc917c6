using NodeDsl;

namespace NodeDsl.Examples.Tests.Docs;

// The SIR models of docs/training.md, "Identifiability": S' = −βSI, I' = βSI − γI (R = 1 − S − I is not a state).
// γ is known in all of them; β is what we want to learn (truth 0.6, initial guess 0.3).

/// <summary>The truth: plain SIR with β = 0.6, γ = 0.2 (basic reproduction number 3).</summary>
[OdeModel]
public partial class SirTruth
{
    [State] double S, I;
    [Constant] double beta = 0.6;
    [Constant] double gamma = 0.2;

    [Rates]
    (double S, double I) Rhs() => (-beta * S * I, beta * S * I - gamma * I);
}

/// <summary>β next to a network on the same term: any β fits, because S·I·Extra can supply (0.6 − β)·S·I.</summary>
#region snippet: sir-redundant
[OdeModel]
public partial class SirWithRedundantNetwork
{
    [State] double S, I;
    [Constant] double gamma = 0.2;
    [Learnable] double beta = 0.3;

    [Neural(16)]
    private partial double Extra(double S, double I);

    [Rates]
    (double S, double I) Rhs()
    {
        var infection = beta * S * I + S * I * Extra(S, I);
        return (-infection, infection - gamma * I);
    }
}
#endregion

/// <summary>
/// The network only modulates how infection changes with prevalence, and its share vanishes as I → 0, so it cannot
/// rescale βSI: β is the low-prevalence infection rate.
/// </summary>
[OdeModel]
public partial class SirWithPrevalenceNetwork
{
    [State] double S, I;
    [Constant] double gamma = 0.2;
    [Learnable] double beta = 0.3;

    [Neural(16)]
    private partial double Modulation(double I);

    [Rates]
    (double S, double I) Rhs()
    {
        var infection = beta * S * I * (1 + I * Modulation(I));
        return (-infection, infection - gamma * I);
    }
}

/// <summary>No network: the mechanistic model.</summary>
[OdeModel]
public partial class SirMechanistic
{
    [State] double S, I;
    [Constant] double gamma = 0.2;
    [Learnable] double beta = 0.3;

    [Rates]
    (double S, double I) Rhs() => (-beta * S * I, beta * S * I - gamma * I);
}
