using System.Reflection;
using System.Text.RegularExpressions;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>One naming convention for this project's tests: PascalCase sentences, prefixed with the ID in DiagnosticTests.</summary>
public class TestNamingTests
{
    // "NODE014_" lets CatalogueTests find the test of each diagnostic ID; the rest of a name is PascalCase.
    static readonly Regex Convention = new("^(NODE[0-9]{3}_)?[A-Z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);

    [Fact]
    public void EveryTestNameIsPascalCase()
    {
        var tests = typeof(TestNamingTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .ToList();
        Assert.NotEmpty(tests);
        Assert.All(tests, m => Assert.Matches(Convention, m.Name));
    }
}
