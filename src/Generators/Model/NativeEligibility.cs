using System.Linq;

namespace NodeDsl.Generators.Model;

/// <summary>
/// Whether a model gets native kernels (plain C# over spans, NodeDsl.Numerics) besides its TorchSharp code, decided once
/// per model: DSL math and built-in perceptrons are eligible; custom <c>[Neural(typeof(…))]</c> modules are TorchSharp
/// modules, and a network inside a Hamiltonian energy puts its input gradient ∂N/∂x into the rates, whose VJP needs the
/// network's second derivatives (a Hessian–vector product and a mixed parameter derivative) — both stay TorchSharp-only.
/// </summary>
internal static class NativeEligibility
{
    /// <summary>Null when the model is eligible, else why not (one sentence for docs and tests).</summary>
    public static string? Reason(EquatableArray<NetworkSpec> networks, EquatableArray<Expr> rates)
    {
        var custom = networks.FirstOrDefault(n => n.IsCustom);
        if (custom is not null)
            return $"network '{custom.Name}' is a custom TorchSharp module ({custom.CustomType!.Replace("global::", "")}); only built-in perceptrons run natively";
        if (rates.Any(ContainsInputGradient))
            return "a network inside the Hamiltonian energy makes its input gradient part of the rates, and the VJP of that term needs the network's second derivatives";
        return null;
    }

    static bool ContainsInputGradient(Expr e) => e switch
    {
        NeuralInputGradient => true,
        Negate n => ContainsInputGradient(n.Operand),
        Binary b => ContainsInputGradient(b.Left) || ContainsInputGradient(b.Right),
        Call c => c.Args.Any(ContainsInputGradient),
        NeuralCall c => c.Args.Any(ContainsInputGradient),
        Slice s => ContainsInputGradient(s.Source),
        Concat c => c.Parts.Any(ContainsInputGradient),
        _ => false,
    };
}
