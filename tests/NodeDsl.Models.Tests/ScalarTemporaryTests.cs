using System.CodeDom.Compiler;
using System.Reflection;
using NodeDsl.Runtime;

namespace NodeDsl.Models.Tests;

/// <summary>
/// The code the generator emits (Rates, Vjp, stage VJPs of every DSL model in this assembly) converts no number to a
/// TorchSharp Scalar implicitly: such a temporary can be finalized by a GC on another thread while libtorch reads it
/// (docs/notes/torchsharp-scalar-gc-race.md; NodeDsl.Runtime.Tests' ScalarTemporaryTests has the runtime's half).
/// </summary>
public class ScalarTemporaryTests
{
    [Fact]
    public void NoGeneratedModelConvertsANumberToAScalarImplicitly()
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var models = typeof(ScalarTemporaryTests).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(OdeModel)) && t.GetMembers(declared).Any(m => m.IsDefined(typeof(GeneratedCodeAttribute), inherit: false)))
            .ToList();
        Assert.True(models.Count >= 10, $"only {models.Count} generated models found");
        // The user's own [Rates] code is plain C# doubles, so every finding here is the emitter's (before this test its
        // VJP of tanh and tan called square(), TorchSharp's pow(2) with a temporary 2).
        var found = models.SelectMany(ScalarTemporaryScan.ImplicitConversions).Distinct().ToList();
        Assert.True(found.Count == 0, $"{models.Count} models:\n" + string.Join("\n", found));
    }
}
