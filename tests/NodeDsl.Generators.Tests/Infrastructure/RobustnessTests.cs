namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>The generator never fails internally on half-typed code (as the IDE sees it while the user types).</summary>
public class RobustnessTests
{
    [Fact]
    public void TruncatedAndDamagedModelsNeverCauseAnInternalError()
    {
        var source = Examples.All().Single(s => s.Contains("class ExpressionCoverage", StringComparison.Ordinal));
        var rng = new Random(1);
        var variants = new List<string>();
        for (int i = 1; i <= 24; i++) variants.Add(source[..(source.Length * i / 25)]);                 // cut off
        for (int i = 0; i < 24; i++)
        {
            int at = rng.Next(source.Length), length = rng.Next(1, 12);
            variants.Add(source.Remove(at, System.Math.Min(length, source.Length - at)));               // a few characters deleted
        }
        foreach (var variant in variants)
        {
            var outcome = GeneratorRunner.Run(compile: false, variant);
            Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "NODE099" || d.Id.StartsWith("CS8785", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EditedExampleModelsNeverCrashTheGeneratorNorBreakItsOutput()
    {
        // 16 variants per example file (8 files, 128 in all, fixed seed; ~10 s of CPU, spread over the cores). The long
        // sweep is the same code with more variants and every generated file fully compiled, run by hand (minutes):
        //   NODEDSL_SWEEP_VARIANTS=1500 dotnet test tests/NodeDsl.Generators.Tests -c Release --filter EditedExampleModels
        var requested = int.TryParse(Environment.GetEnvironmentVariable("NODEDSL_SWEEP_VARIANTS"), out var n) ? n : (int?)null;
        var outcome = EditSweep.Run(EditSweep.Variants(requested ?? 16, seed: 11), alwaysFull: requested is not null);
        if (requested is not null)
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "nodedsl-sweep.txt"), $"{outcome.Variants} variants, {outcome.WithGeneratedCode} with generated code, "
                + $"{outcome.Exceptions.Count} generator exceptions, {outcome.ErrorsInGeneratedCode.Count} with errors in generated files\n"
                + string.Join("\n", outcome.Exceptions.Concat(outcome.ErrorsInGeneratedCode)));
        Assert.True(outcome.Exceptions.Count == 0, "generator exceptions:\n" + string.Join("\n", outcome.Exceptions.Take(20)));
        Assert.True(outcome.ErrorsInGeneratedCode.Count == 0,
            $"{outcome.ErrorsInGeneratedCode.Count} of {outcome.Variants} variants ({outcome.WithGeneratedCode} with generated code) break the generated code:\n"
            + string.Join("\n", outcome.ErrorsInGeneratedCode.Take(30)));
    }
}
