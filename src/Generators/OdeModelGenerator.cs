using Microsoft.CodeAnalysis.Text;
using NodeDsl.Generators.Emitting;
using NodeDsl.Generators.Parsing;

namespace NodeDsl.Generators;

/// <summary>
/// Finds <c>[OdeModel]</c>, <c>[HamiltonianModel]</c> and <c>[LagrangianModel]</c> classes, parses each into a symbol-free <see cref="ModelSpec"/>
/// and emits its batched TorchSharp part. Diagnostics travel in a separate output so the source output is rebuilt
/// only when a model really changes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OdeModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline stages (asserted by the caching tests).</summary>
    public static class Steps
    {
        public const string OdeModels = nameof(OdeModels);
        public const string HamiltonianModels = nameof(HamiltonianModels);
        public const string LagrangianModels = nameof(LagrangianModels);
        public const string Models = nameof(Models);
        public const string RejectedModels = nameof(RejectedModels);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Target = nameof(Target);
        public const string PredictionRejections = nameof(PredictionRejections);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var odeModels = context.SyntaxProvider.ForAttributeWithMetadataName(
                SymbolNames.OdeModel,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                static (ctx, ct) => Parse(ctx, hamiltonian: false, ct))
            .WithTrackingName(Steps.OdeModels);
        var hamiltonianModels = context.SyntaxProvider.ForAttributeWithMetadataName(
                SymbolNames.HamiltonianModel,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                static (ctx, ct) => Parse(ctx, hamiltonian: true, ct))
            .WithTrackingName(Steps.HamiltonianModels);
        var lagrangianModels = context.SyntaxProvider.ForAttributeWithMetadataName(
                SymbolNames.LagrangianModel,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                static (ctx, ct) => ModelParser.Parse(ctx, hamiltonian: false, ct, lagrangian: true))
            .WithTrackingName(Steps.LagrangianModels);

        // One equatable fact about the compilation: does it build against the TorchSharp runtime, or NodeDsl.Prediction alone?
        var target = context.CompilationProvider.Select(static (c, _) => GenerationTargets.Of(c)).WithTrackingName(Steps.Target);

        foreach (var results in new[] { odeModels, hamiltonianModels, lagrangianModels })
        {
            var models = results.Select(static (r, _) => r.Model).WithTrackingName(Steps.Models);
            var rejected = results.Select(static (r, _) => r.Rejected).WithTrackingName(Steps.RejectedModels);
            var diagnostics = results.Select(static (r, _) => r.Diagnostics).WithTrackingName(Steps.Diagnostics);
            var unpredictable = results.Select(static (r, _) => r.PredictionRejection).WithTrackingName(Steps.PredictionRejections);
            context.RegisterSourceOutput(models.Combine(target), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
            context.RegisterSourceOutput(unpredictable.Combine(target), static (spc, pair) =>
            {
                if (pair.Left is { } model && pair.Right == GenerationTarget.Prediction)
                    spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPredictable, model.Location?.ToLocation() ?? Location.None, model.ClassName, model.Reason));
            });
            context.RegisterSourceOutput(rejected, static (spc, model) => EmitRejected(spc, model));
            context.RegisterSourceOutput(diagnostics, static (spc, list) =>
            {
                foreach (var d in list) spc.ReportDiagnostic(d.ToDiagnostic());
            });
        }
    }

    // Parsing and emitting format every number through the invariant culture explicitly (see Emitting/Literals).
    static ParseResult Parse(GeneratorAttributeSyntaxContext context, bool hamiltonian, CancellationToken cancellation)
        => ModelParser.Parse(context, hamiltonian, cancellation);

    static void Emit(SourceProductionContext context, ModelSpec? model, GenerationTarget target)
    {
        if (model is null) return;
        if (target == GenerationTarget.Prediction)
        {
            EmitForPrediction(context, model);
            return;
        }
        AddSource(context, model.ClassName, model.HintName, () => ModelEmitter.Emit(model));
        if (model.HasNativeKernels) AddSource(context, model.ClassName, NativeKernelEmitter.HintName(model), () => NativeKernelEmitter.EmitFile(model));
    }

    // Without the runtime: the native kernels and the prediction part; a model without kernels gets NODE045 (reported
    // from its own pipeline) and only bodies for its [Neural] methods, so C# does not add CS8795 to it.
    static void EmitForPrediction(SourceProductionContext context, ModelSpec model)
    {
        if (!model.HasNativeKernels)
        {
            var rejected = new RejectedModelSpec(model.Namespace, model.ContainingTypes, model.ClassName, model.HintName, model.Networks);
            AddSource(context, model.ClassName, model.HintName, () => RejectedModelEmitter.Emit(rejected));
            return;
        }
        AddSource(context, model.ClassName, NativeKernelEmitter.HintName(model), () => NativeKernelEmitter.EmitFile(model));
        AddSource(context, model.ClassName, PredictionModelEmitter.HintName(model), () => PredictionModelEmitter.Emit(model));
    }

    static void EmitRejected(SourceProductionContext context, RejectedModelSpec? model)
    {
        if (model is not null) AddSource(context, model.ClassName, model.HintName, () => RejectedModelEmitter.Emit(model));
    }

    static void AddSource(SourceProductionContext context, string className, string hintName, Func<string> emit)
    {
        try
        {
            context.AddSource(hintName, SourceText.From(emit(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));
        }
#pragma warning disable CA1031 // the generator must never throw into the compiler
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, className, ex.GetType().Name + ": " + ex.Message));
        }
    }
}
