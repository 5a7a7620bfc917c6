using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;
using NodeDsl.Generators.Parsing;

namespace NodeDsl.Generators;

/// <summary>
/// Suppresses CS0649 ("field is never assigned") and CS0169 ("field is never used") on the [State], [Augmented],
/// [Coordinate], [Momentum], [Velocity], [Input] and [Time] fields of a model: the generated ScalarRates assigns them, so the
/// warnings only appear when the model has errors and no code was generated — noise next to the NODE errors that say
/// what to fix. Other fields, including [Constant] ones, keep their warnings.
/// </summary>
/// <remarks>
/// Errors cannot be suppressed (Roslyn's rule for suppressors), so CS8795 on [Neural] methods of a rejected model is
/// avoided differently: the generator completes those declarations (see RejectedModelEmitter).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelFieldSuppressor : DiagnosticSuppressor
{
    const string Justification =
        "NodeDsl assigns this field in the code it generates for the model (ScalarRates); when the model has errors that code is " +
        "not generated, and the generator's NODE diagnostics say what to fix";

    internal static readonly SuppressionDescriptor NeverAssigned = new("NODESPR001", "CS0649", Justification);

    internal static readonly SuppressionDescriptor NeverUsed = new("NODESPR002", "CS0169", Justification);

    static readonly string[] AssignedRoles =
    [
        SymbolNames.State, SymbolNames.Augmented, SymbolNames.Coordinate, SymbolNames.Momentum, SymbolNames.Input, SymbolNames.Time,
        SymbolNames.Velocity,
    ];

    /// <inheritdoc />
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.Create(NeverAssigned, NeverUsed);

    /// <inheritdoc />
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var descriptor = diagnostic.Id == NeverAssigned.SuppressedDiagnosticId ? NeverAssigned : NeverUsed;
            if (diagnostic.Location.SourceTree is not { } tree) continue;
            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            if (node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { } declarator) continue;
            if (context.GetSemanticModel(tree).GetDeclaredSymbol(declarator, context.CancellationToken) is IFieldSymbol field && IsAssignedByGeneratedCode(field))
                context.ReportSuppression(Suppression.Create(descriptor, diagnostic));
        }
    }

    static bool IsAssignedByGeneratedCode(IFieldSymbol field)
        => field.GetAttributes().Any(a => AssignedRoles.Contains(SymbolNames.FullName(a.AttributeClass)))
           && field.ContainingType.GetAttributes().Any(a => SymbolNames.FullName(a.AttributeClass) is SymbolNames.OdeModel or SymbolNames.HamiltonianModel);
}
