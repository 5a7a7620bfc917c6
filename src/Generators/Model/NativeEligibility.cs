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
        var custom = networks.FirstOrDefault(n => n.Module is CustomModule);
        if (custom is not null)
            return $"network '{custom.Name}' is a custom TorchSharp module ({((CustomModule)custom.Module).DisplayName}); only built-in perceptrons run natively";
        return rates.Select(Blocker).FirstOrDefault(b => b is not null);
    }

    // Why an expression cannot run natively, or null. Unknown IR kinds (added later) are refused rather than mistranslated.
    static string? Blocker(Expr e) => e switch
    {
        Literal or Ref => null,
        NeuralInputGradient => "a network inside the Hamiltonian energy makes its input gradient part of the rates, and the VJP of that term needs the network's second derivatives",
        Negate n => Blocker(n.Operand),
        Binary b => Blocker(b.Left) ?? Blocker(b.Right),
        Call c => c.Args.Select(Blocker).FirstOrDefault(x => x is not null),
        NeuralCall c => c.Args.Select(Blocker).FirstOrDefault(x => x is not null),
        Slice s => Blocker(s.Source),
        Concat c => c.Parts.Select(Blocker).FirstOrDefault(x => x is not null),
        _ => $"its rates use {e.GetType().Name}, which the native emitter does not translate",
    };
}
