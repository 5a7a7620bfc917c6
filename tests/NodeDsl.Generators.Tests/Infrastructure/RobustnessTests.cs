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
}
