using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NodeDsl.Generators.Parsing;
using NodeDsl.Generators.Tests.Infrastructure;
using static NodeDsl.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace NodeDsl.Generators.Tests.Diagnostics;

/// <summary>
/// The names a model cannot declare (NODE011) cover everything OdeModel and the generated part declare, so a user member
/// never hides a member that the generated code calls by name.
/// </summary>
public class ReservedMembersTests
{
    [Fact]
    public void EveryMemberOdeModelDeclaresIsReserved()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var visible = typeof(NodeDsl.Runtime.OdeModel).GetMembers(all)
            .Where(m => m is not ConstructorInfo && !m.Name.Contains('.', StringComparison.Ordinal) && IsVisibleToSubclasses(m))
            .Select(m => m.Name)
            .Distinct()
            .ToList();
        Assert.NotEmpty(visible);
        Assert.All(visible, name => Assert.True(ReservedMembers.Contains(name), $"OdeModel.{name} is missing from ReservedMembers.Inherited"));
    }

    [Fact]
    public void EveryMemberTheGeneratorDeclaresIsReserved()
    {
        var outcome = GeneratorRunner.Run(compile: false, Examples.All());
        var declared = outcome.Sources
            .SelectMany(s => CSharpSyntaxTree.ParseText(s.Text).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
                .Where(c => IsModel(c.Identifier.ValueText, outcome)))
            .SelectMany(c => c.Members)
            .Where(m => !m.Modifiers.Any(t => t.IsKind(SyntaxKind.PartialKeyword))) // the user's [Neural] methods, completed
            .Select(Name)
            .OfType<string>()
            .Distinct()
            .ToList();
        Assert.Contains("Vjp", declared);
        Assert.All(declared, name => Assert.True(ReservedMembers.Contains(name), $"the generated member '{name}' is missing from ReservedMembers.Generated"));
    }

    [Theory]
    [InlineData("public int [|VjpParameters|] => 1;")]
    [InlineData("double [|ZeroColumns|];")]
    [InlineData("public void [|Vjp|]() { }")]
    [InlineData("void [|CheckCotangent|]() { }")]
    [InlineData("int [|VjpResult|];")]
    [InlineData("double [|__batch|];")]
    public void UserMemberWithAReservedNameIsReported(string member)
        => MessageNames(Reports("NODE011", "[OdeModel] public partial class M { [State] double x; [Rates] double R() => -x; " + member + " }"), "NodeDsl");

    // Hint names end with the model's class name: Namespace.Class.g.cs (and Namespace.Class.Native.g.cs).
    static bool IsModel(string className, GeneratorOutcome outcome)
        => outcome.ModelSources.Any(s => s.HintName.EndsWith("." + className + ".g.cs", StringComparison.Ordinal));

    static string? Name(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } m => m.Identifier.ValueText,
        PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } p => p.Identifier.ValueText,
        FieldDeclarationSyntax f => f.Declaration.Variables[0].Identifier.ValueText,
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        _ => null, // constructors, explicit interface implementations
    };

    static bool IsVisibleToSubclasses(MemberInfo member) => member switch
    {
        MethodInfo m => !m.IsSpecialName && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly),
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        Type t => t.IsNestedPublic || t.IsNestedFamily,
        _ => false,
    };
}
