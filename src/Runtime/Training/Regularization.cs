using static NodeDsl.Runtime.OptionRules;

namespace NodeDsl.Runtime.Training;

/// <summary>Distribution of the Hutchinson probe vector ε (zero mean, identity covariance).</summary>
public enum ProbeDistribution
{
    /// <summary>Independent ±1 entries: the lowest-variance choice for the trace estimator.</summary>
    Rademacher,
    /// <summary>Independent standard normal entries.</summary>
    Gaussian,
}

/// <summary>
/// Regularisers that make a learned vector field cheaper to solve (Finlay et al. 2020, "How to train your neural ODE"):
/// both are integrated alongside the state (<see cref="RegularizedSystem"/>) and added to the loss, averaged over
/// the batch, with these weights.
/// </summary>
public sealed record Regularization
{
    /// <summary>Weight of the kinetic energy <c>∫ ‖f(t, y)‖² dt</c>.</summary>
    public double KineticEnergy { get; init; }
    /// <summary>Weight of the Jacobian Frobenius norm <c>∫ ‖∂f/∂y‖²_F dt</c>, estimated with one probe per row and batch.</summary>
    public double JacobianFrobenius { get; init; }
    /// <summary>Probe distribution of the Jacobian estimate.</summary>
    public ProbeDistribution Probe { get; init; } = ProbeDistribution.Rademacher;

    /// <summary>True when any weight is non-zero.</summary>
    public bool IsActive => KineticEnergy != 0 || JacobianFrobenius != 0;

    /// <summary>Checks the weights (finite, ≥ 0) and the probe when the trainer is built.</summary>
    internal void Validate()
    {
        Require(FiniteNonNegative(KineticEnergy), "Regularization.KineticEnergy");
        Require(FiniteNonNegative(JacobianFrobenius), "Regularization.JacobianFrobenius");
        if (!Enum.IsDefined(Probe)) throw new OdeArgumentException($"Regularization.Probe is {(int)Probe}, which is not a ProbeDistribution.", "Regularization.Probe");
    }
}
