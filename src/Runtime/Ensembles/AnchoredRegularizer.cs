using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Ensembles;

/// <summary>
/// The anchored-ensemble penalty of Pearce et al. (2018, eq. 9): <c>Σᵢ λᵢ ‖θᵢ − θᵢ,anc‖²</c>, pulling every member
/// towards its own anchor drawn from the prior rather than towards zero, so that the ensemble of regularised fits
/// approximates samples of the posterior.
/// </summary>
/// <remarks>
/// Parameters of a batched ensemble carry the members along dimension 0. <see cref="Penalty"/> is the mean over
/// members of each member's penalty, which pairs with a data loss that is the mean over members' rows
/// (<c>TrainerOptions.Replicas</c>): each member then minimises exactly its own MSE + penalty, scaled by 1/M.
/// Pass <c>regularizer.Penalty</c> as <c>TrainerOptions.ParameterPenalty</c>.
/// </remarks>
public sealed class AnchoredRegularizer : IDisposable
{
    readonly Parameter[] parameters;
    readonly Tensor[] anchors;
    readonly double[] lambdas;

    /// <summary>Anchors <paramref name="parameters"/> to <paramref name="anchors"/> (copied) with weights <paramref name="lambdas"/>.</summary>
    /// <param name="parameters">The trained parameter tensors.</param>
    /// <param name="anchors">One anchor per parameter, same shape.</param>
    /// <param name="lambdas">λᵢ ≥ 0 per parameter tensor.</param>
    /// <param name="members">M: the penalty is divided by it (see remarks); 1 for a single model.</param>
    public AnchoredRegularizer(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> anchors, IReadOnlyList<double> lambdas, int members = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(lambdas);
        if (parameters.Count != anchors.Count || parameters.Count != lambdas.Count)
            throw new ArgumentException($"{parameters.Count} parameters, {anchors.Count} anchors and {lambdas.Count} weights: give one anchor and one λ per parameter.");
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"members must be at least 1, not {members}.");
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!parameters[i].shape.SequenceEqual(anchors[i].shape))
                throw new ArgumentException($"Anchor {i} is [{string.Join(", ", anchors[i].shape)}] but its parameter is [{string.Join(", ", parameters[i].shape)}].", nameof(anchors));
            if (!(lambdas[i] >= 0 && double.IsFinite(lambdas[i])))
                throw new ArgumentOutOfRangeException(nameof(lambdas), $"λ {i} is {lambdas[i]}; weights must be non-negative and finite.");
            if (members > 1 && (parameters[i].dim() == 0 || parameters[i].shape[0] != members))
                throw new ArgumentException($"Parameter {i} is [{string.Join(", ", parameters[i].shape)}] but an ensemble of {members} needs the members along dimension 0.", nameof(parameters));
        }
        this.parameters = parameters.ToArray();
        this.anchors = anchors.Select((a, i) => a.detach().to(parameters[i].dtype, parameters[i].device).clone().DetachFromDisposeScope()).ToArray();
        this.lambdas = lambdas.ToArray();
        Members = members;
    }

    /// <summary>M, the number of members along dimension 0.</summary>
    public int Members { get; }
    /// <summary>λᵢ per parameter tensor.</summary>
    public IReadOnlyList<double> Lambdas => lambdas;
    /// <summary>The anchors, one per parameter (owned by the regulariser).</summary>
    public IReadOnlyList<Tensor> Anchors => anchors;

    /// <summary><c>(1/M) Σᵢ λᵢ ‖θᵢ − θᵢ,anc‖²</c>, a 0-d tensor; its gradient is <c>2λᵢ(θᵢ − θᵢ,anc)/M</c>.</summary>
    public Tensor Penalty()
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (int i = 0; i < parameters.Length; i++)
        {
            var term = ScalarOps.Mul(ScalarOps.Square(parameters[i] - anchors[i]).sum(), lambdas[i]);
            total = total is null ? term : total + term;
        }
        return ScalarOps.Div(total!, Members).MoveToOuterDisposeScope();
    }

    /// <summary>Each member's own penalty <c>Σᵢ λᵢ ‖θᵢ[j] − θᵢ,anc[j]‖²</c> (no gradient).</summary>
    public double[] MemberPenalties()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var total = torch.zeros(Members, ScalarType.Float64);
        for (int i = 0; i < parameters.Length; i++)
        {
            var d = ScalarOps.Square(parameters[i] - anchors[i]).to(ScalarType.Float64, CPU).reshape(Members, -1).sum(1);
            total = ScalarOps.Add(total, d, lambdas[i]);
        }
        return total.data<double>().ToArray();
    }

    /// <summary>Releases the anchors.</summary>
    public void Dispose()
    {
        foreach (var a in anchors) a.Dispose();
    }
}
