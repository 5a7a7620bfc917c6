using Microsoft.CodeAnalysis;
using NodeDsl.Generators.Parsing;
using NodeDsl.Generators.Tests.Infrastructure;
using static NodeDsl.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace NodeDsl.Generators.Tests.Diagnostics;

/// <summary>One test per diagnostic ID: a model that triggers it, asserting ID and location.</summary>
public partial class DiagnosticTests
{
    [Fact]
    public void NODE001_ClassNotPartial() => Reports("NODE001", """
        [OdeModel] public class [|Decay|] { [State] double x; [Rates] double R() => -x; }
        """);

    [Fact]
    public void NODE001_ContainingTypeNotPartial() => Reports("NODE001", """
        public class [|Outer|] { [OdeModel] public partial class Decay { [State] double x; [Rates] double R() => -x; } }
        """);

    [Fact]
    public void NODE002_NoStates() => Reports("NODE002", """
        [OdeModel] public partial class [|Empty|] { [Constant] double k = 1; [Rates] double R() => k; }
        """);

    [Fact]
    public void NODE003_StateWithoutRate() => Reports("NODE003", """
        [OdeModel] public partial class M { [State] double x, v, [|w|]; [Rates] (double x, double v) R() => (v, -x); }
        """);

    [Fact]
    public void NODE004_RatesTupleNamesDoNotMatchStates() => Reports("NODE004", """
        [OdeModel] public partial class M { [State] double x, v; [Rates] [|(double x, double speed)|] R() => (v, -x); }
        """);

    [Fact]
    public void NODE004_RatesArityDoesNotMatchStates() => Reports("NODE004", """
        [OdeModel] public partial class M { [State] double x, v; [Rates] [|double|] R() => -x; }
        """);

    [Fact]
    public void NODE005_UnknownIdentifier() => Reports("NODE005", """
        [OdeModel] public partial class M { [State] double x; double k = 2; [Rates] double R() => -[|k|] * x; }
        """);

    [Fact]
    public void NODE006_IfStatement() => Reports("NODE006", """
        [OdeModel] public partial class M { [State] double x; [Rates] double R() { [|if (x > 0) return x;|] return -x; } }
        """);

    [Fact]
    public void NODE006_Loop() => Reports("NODE006", """
        [OdeModel] public partial class M { [State] double x; [Rates] double R() { var s = x; [|for (int i = 0; i < 3; i++) s = s * x;|] return s; } }
        """);

    [Fact]
    public void NODE006_AssignmentToField() => Reports("NODE006", """
        [OdeModel] public partial class M { [State] double x; double last; [Rates] double R() { [|last = x;|] return -x; } }
        """);

    [Fact]
    public void NODE007_CallToArbitraryMethod() => Reports("NODE007", """
        [OdeModel] public partial class M { [State] double x; [Rates] double R() => [|Helper(x)|]; static double Helper(double a) => a; }
        """);

    [Fact]
    public void NODE008_NeuralArgumentCount() => Reports("NODE008", """
        [OdeModel] public partial class M
        {
            [State] double x, v;
            [Neural(8)] private partial double Net(double a, double b);
            [Rates] (double x, double v) R() => (v, [|Net(x)|]);
        }
        """);

    [Fact]
    public void NODE008_VecPassedWhereDoubleIsDeclaredNamesTheTypes()
    {
        // C# itself cannot bind this call (CS1503), so the generator sees only the candidate; the message must still
        // say which argument has which type, not just count arguments.
        var d = Reports("NODE008", """
            [OdeModel] public partial class M
            {
                [State(Size = 2)] Vec h;
                [Neural(8)] private partial double Net(double a);
                [Rates] Vec R() => h * [|Net(h)|];
            }
            """);
        MessageNames(d, "'h' is a Vec", "parameter 'a' is a double");
        Assert.DoesNotContain("argument(s)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NODE008_UnknownNamedArgumentIsNamed()
    {
        var d = Reports("NODE008", """
            [OdeModel] public partial class M
            {
                [State] double x;
                [Neural(8)] private partial double Net(double a);
                [Rates] double R() => [|Net(b: x)|];
            }
            """);
        MessageNames(d, "'b'", "Net(double a)");
    }

    [Fact]
    public void NODE008_RefArgumentIsNamed()
    {
        var d = Reports("NODE008", """
            [OdeModel] public partial class M
            {
                [State] double x;
                [Neural(8)] private partial double Net(double a);
                [Rates] double R() => [|Net(ref x)|];
            }
            """);
        MessageNames(d, "'ref'");
    }

    [Fact]
    public void NODE008_MissingArgumentCountsTheParameters()
    {
        var d = Reports("NODE008", """
            [OdeModel] public partial class M
            {
                [State] double x, v;
                [Neural(8)] private partial double Net(double a, double b);
                [Rates] (double x, double v) R() => (v, [|Net(x)|]);
            }
            """);
        MessageNames(d, "1 argument", "2 parameters", "Net(double a, double b)");
    }

    [Fact]
    public void NamedNeuralArgumentsAreMatchedByName()
    {
        // Named arguments in any order mean the same call as positional ones: the generated code (all files) is identical.
        static string Generate(string call) => string.Join("\n", GeneratorRunner.Run(Usings + $$"""
            [OdeModel] public partial class M
            {
                [State] double x, v;
                [Neural(8)] private partial double Net(double a, double b);
                [Rates] (double x, double v) R() => (v, {{call}});
            }
            """).Sources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.Text));
        var positional = Generate("Net(x, v)");
        Assert.Equal(positional, Generate("Net(b: v, a: x)"));
        Assert.Equal(positional, Generate("Net(x, b: v)"));
    }

    [Fact]
    public void NODE009_VecSizeMismatch() => Reports("NODE009", """
        [OdeModel] public partial class M
        {
            [State(Size = 2)] Vec h = Vec.Zeros(2);
            [State(Size = 3)] Vec g = Vec.Zeros(3);
            [Rates] (Vec h, Vec g) R() => ([|h + g|], g);
        }
        """);

    [Fact]
    public void NODE008_NeuralArgumentType() => Reports("NODE008", """
        [OdeModel] public partial class M
        {
            [State] double x;
            [Neural(8)] private partial double Net(Vec h);
            [Rates] double R() => [|Net(x)|];
        }
        """);

    [Fact]
    public void NODE009_NetworkCalledWithTwoVecSizes() => Reports("NODE009", """
        [OdeModel] public partial class M
        {
            [State(Size = 2)] Vec h;
            [Neural(8)] private partial double Net(Vec v);
            [Rates] Vec R() => h * Net(h) + Net([|Vec.Of(1.0, 2.0, 3.0)|]);
        }
        """);

    [Fact]
    public void NODE009_VectorFieldNetworkCalledWithTwoWidths()
    {
        // A Vec → Vec network without OutputSize takes its width from each call; shape inference checks them against the first.
        var d = Reports("NODE009", """
            [OdeModel] public partial class M
            {
                [State(Size = 2)] Vec h;
                [State(Size = 3)] Vec g;
                [Neural(8)] private partial Vec F(Vec v);
                [Rates] (Vec h, Vec g) R() => (F(h), F([|g|]));
            }
            """);
        MessageNames(d, "'v'", "2 components in an earlier call and 3 here");
    }

    [Fact]
    public void NODE015_VecParameterOfANetworkThatIsNeverCalled() => MessageNames(Reports("NODE015", """
        [OdeModel] public partial class M
        {
            [State] double x;
            [Neural(8)] private partial double [|Net|](Vec v);
            [Rates] double R() => -x;
        }
        """), "'v'", "never call 'Net'");

    [Fact]
    public void NODE015_VectorFieldNetworkThatIsNeverCalled() => MessageNames(Reports("NODE015", """
        [OdeModel] public partial class M
        {
            [State] double x;
            [Neural(8)] private partial Vec [|Net|](double a, double b);
            [Rates] double R() => -x;
        }
        """), "output size", "set OutputSize");

    [Fact]
    public void NODE009_IndexOutsideVec() => Reports("NODE009", """
        [OdeModel] public partial class M { [State(Size = 2)] Vec h; [Rates] Vec R() => h * [|h[2]|]; }
        """);

    [Fact]
    public void NODE010_HamiltonianModelWithPlainState() => Reports("NODE010", """
        [HamiltonianModel] public partial class M
        {
            [Coordinate] double q;
            [Momentum] double p;
            [State] double [|extra|];
            [Energy] double H => p * p / 2 + q * q / 2;
        }
        """);

    [Fact]
    public void NODE010_UnmatchedCoordinateAndMomentum() => Reports("NODE010", """
        [HamiltonianModel] public partial class [|Pendulum|]
        {
            [Coordinate] double q, r;
            [Momentum] double p;
            [Energy] double H => p * p / 2 + q * r;
        }
        """);

    [Fact]
    public void NODE011_LocalHidesModelMember() => Reports("NODE011", """
        [OdeModel] public partial class M { [State] double x; [Rates] double R() { var [|x|] = 2.0; return -x; } }
        """);

    [Fact]
    public void NODE012_LearnableWithoutInitialValue() => Reports("NODE012", """
        [OdeModel] public partial class M { [State] double x; [Learnable] double [|rate|]; [Rates] double R() => -rate * x; }
        """);

    [Fact]
    public void NODE013_NoRatesMethod() => Reports("NODE013", """
        [OdeModel] public partial class [|M|] { [State] double x; }
        """);

    [Fact]
    public void NODE013_SuggestedRatesUseTheModelsStates()
    {
        var d = Reports("NODE013", """
            [OdeModel] public partial class [|M|] { [State] double prey; [State(Size = 2)] Vec h; }
            """);
        MessageNames(d, "[Rates] (double prey, Vec h) Rhs()");
        Assert.DoesNotContain("double x", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NODE013_SuggestedRateOfOneStateIsAPlainValue()
    {
        var d = Reports("NODE013", """
            [OdeModel] public partial class [|M|] { [State] double population; }
            """);
        MessageNames(d, "[Rates] double Rhs() => ", "population");
    }

    [Fact]
    public void NODE013_SuggestedEnergyUsesTheModelsMomenta()
    {
        var d = Reports("NODE013", """
            [HamiltonianModel] public partial class [|M|] { [Coordinate] double theta; [Momentum] double omega; }
            """);
        MessageNames(d, "omega * omega");
    }

    [Fact]
    public void NODE014_FieldOfUnsupportedType() => Reports("NODE014", """
        [OdeModel] public partial class M { [State] int [|n|]; [Rates] double R() => 1.0; }
        """);

    // NODE020–NODE026: the field rules that NODE014 covered together until each got its own ID.
    [Fact]
    public void NODE020_FieldWithTwoRoles() => MessageNames(Reports("NODE020", """
        [OdeModel] public partial class M { [State] double x; [State, Learnable] double [|k|] = 1.0; [Rates] double R() => -x; }
        """), "[State] and [Learnable]");

    [Fact]
    public void NODE021_StaticField() => Reports("NODE021", """
        [OdeModel] public partial class M { [State] double x; [Learnable] static double [|k|] = 1.0; [Rates] double R() => -k * x; }
        """);

    [Fact]
    public void NODE022_ReadonlyState() => MessageNames(Reports("NODE022", """
        [OdeModel] public partial class M { [State] readonly double [|x|]; [Rates] double R() => 1.0; }
        """), "[State]");

    [Fact]
    public void NODE023_VecLearnable() => MessageNames(Reports("NODE023", """
        [OdeModel] public partial class M { [State] double x; [Learnable] Vec [|w|]; [Rates] double R() => -x; }
        """), "[Learnable]");

    [Fact]
    public void NODE024_VecWithoutSize() => Reports("NODE024", """
        [OdeModel] public partial class M { [State] Vec [|h|] = Vec.Zeros(2); [Rates] Vec R() => -1.0 * h; }
        """);

    [Fact]
    public void NODE024_AugmentedVecOfSizeZero() => MessageNames(Reports("NODE024", """
        [OdeModel] public partial class M { [State] double x; [Augmented(0)] Vec [|a|]; [Rates] (double x, Vec a) R() => (-x, a); }
        """), "[Augmented(3)]");

    [Fact]
    public void NODE025_AugmentedDoubleWithASize() => MessageNames(Reports("NODE025", """
        [OdeModel] public partial class M { [State] double x; [Augmented(3)] double [|a|]; [Rates] (double x, double a) R() => (-x, 0.0); }
        """), "not 3", "[Augmented(3)] Vec a;");

    [Fact]
    public void NODE026_CoordinateInAnOdeModel() => MessageNames(Reports("NODE026", """
        [OdeModel] public partial class M { [State] double x; [Coordinate] double [|q|]; [Rates] double R() => -x; }
        """), "[Coordinate]");

    // NODE040–NODE044: second-order and Lagrangian models.
    [Fact]
    public void NODE040_VelocityOfAnUnknownPosition() => MessageNames(Reports("NODE040", """
        [OdeModel] public partial class M { [State] double x; [Velocity("y")] double [|v|]; [Accelerations] double A() => -x; }
        """), "'y'", "nameof(x)");

    [Fact]
    public void NODE040_VelocityTypeDiffersFromItsPosition() => MessageNames(Reports("NODE040", """
        [OdeModel] public partial class M { [State(Size = 2)] Vec x; [Velocity(nameof(x))] double [|v|]; [Accelerations] Vec A() => -1.0 * x; }
        """), "'x'", "same type");

    [Fact]
    public void NODE041_StateWithoutVelocityInASecondOrderModel() => MessageNames(Reports("NODE041", """
        [OdeModel] public partial class M { [State] double x, [|z|]; [Velocity(nameof(x))] double v; [Accelerations] double A() => -x; }
        """), "'z'", "[Velocity(nameof(z))]");

    [Fact]
    public void NODE041_RatesInASecondOrderModel() => MessageNames(Reports("NODE041", """
        [OdeModel] public partial class M { [State] double x; [Velocity(nameof(x))] double v; [Rates] (double x, double v) [|R|]() => (v, -x); }
        """), "[Rates]", "[Accelerations]");

    [Fact]
    public void NODE042_AccelerationsNamedAfterNoPosition() => MessageNames(Reports("NODE042", """
        [OdeModel] public partial class M
        {
            [State] double x, z;
            [Velocity(nameof(x))] double v;
            [Velocity(nameof(z))] double w;
            [Accelerations] [|(double x, double w)|] A() => (-x, -z);
        }
        """), "(x, z)");

    [Fact]
    public void NODE043_CoordinateWithoutVelocity() => MessageNames(Reports("NODE043", """
        [LagrangianModel] public partial class M { [Coordinate] double [|q|]; [Lagrangian] double L => -q * q / 2; }
        """), "'q'", "[Velocity(nameof(q))]");

    [Fact]
    public void NODE043_MomentumInALagrangianModel() => MessageNames(Reports("NODE043", """
        [LagrangianModel] public partial class M { [Coordinate] double q; [Velocity(nameof(q))] double qDot; [Momentum] double [|p|]; [Lagrangian] double L => qDot * qDot / 2; }
        """), "[Momentum]");

    [Fact]
    public void NODE044_LagrangianLinearInAVelocity() => MessageNames(Reports("NODE044", """
        [LagrangianModel] public partial class M { [Coordinate] double q; [Velocity(nameof(q))] double qDot; [Lagrangian] double [|L|] => qDot * q - q * q / 2; }
        """), "'qDot'", "qDot * qDot / 2");

    [Fact]
    public void NODE044_VecVelocityComponentInNoQuadraticTerm() => MessageNames(Reports("NODE044", """
        [LagrangianModel] public partial class M { [Coordinate(Size = 2)] Vec q; [Velocity(nameof(q))] Vec qDot; [Lagrangian] double [|L|] => qDot[0] * qDot[0] / 2 - Sum(Square(q)) / 2; }
        """), "'qDot[1]'");

    [Fact]
    public void NODE040_ScalarVelocityOfAVecCoordinate() => MessageNames(Reports("NODE040", """
        [LagrangianModel] public partial class M { [Coordinate(Size = 2)] Vec q; [Velocity(nameof(q))] double [|qDot|]; [Lagrangian] double L => qDot * qDot / 2; }
        """), "'q'", "same type");

    [Fact]
    public void NODE015_NonPositiveHiddenWidth() => Reports("NODE015", """
        [OdeModel] public partial class M
        {
            [State] double x;
            [Neural(8, 0)] private partial double [|Net|](double x);
            [Rates] double R() => Net(x);
        }
        """);

    [Fact]
    public void NODE015_NeuralMethodWithBody() => Reports("NODE015", """
        [OdeModel] public partial class M
        {
            [State] double x;
            [Neural(8)] private partial double [|Net|](double x);
            private partial double Net(double x) => x;
            [Rates] double R() => Net(x);
        }
        """);

    [Fact]
    public void NODE015_NeuralMethodWithoutAccessibility()
    {
        // Without an accessibility modifier C# requires a void partial method (CS8796); the generated body would
        // repeat that error inside the generated file.
        var d = Reports("NODE015", """
            [OdeModel] public partial class M
            {
                [State] double x;
                [Neural(8)] partial double [|Net|](double x);
                [Rates] double R() => Net(x);
            }
            """);
        MessageNames(d, "private partial double Net(");
    }

    [Fact]
    public void NODE016_EnergyNotDifferentiable() => Reports("NODE016", """
        [HamiltonianModel] public partial class M
        {
            [Coordinate] double q;
            [Momentum] double p;
            [Neural(8, OutputSize = 2)] private partial Vec N(double q);
            [Energy] double [|H|] => p * p / 2 + Sum(N(q));
        }
        """);

    [Fact]
    public void NODE017_ModelWithBaseClass() => Reports("NODE017", """
        public class Base { }
        [OdeModel] public partial class [|M|] : Base { [State] double x; [Rates] double R() => -x; }
        """);

    [Fact]
    public void NODE018_RatesWithParameters() => Reports("NODE018", """
        [OdeModel] public partial class M { [State] double x; [Rates] double [|R|](double s) => -s * x; }
        """);

    [Fact]
    public void NODE011_MemberNamedLikeAGeneratedOne() => Reports("NODE011", """
        [OdeModel] public partial class M { [State] double x; [Rates] double R() => -x; public int [|Layout|] => 1; }
        """);

    [Fact]
    public void NODE013_TwoRatesMethods() => Reports("NODE013", """
        [OdeModel] public partial class M { [State] double x; [Rates] double R() => -x; [Rates] double [|S|]() => x; }
        """);

    [Fact]
    public void NODE013_HamiltonianWithoutEnergy() => Reports("NODE013", """
        [HamiltonianModel] public partial class [|M|] { [Coordinate] double q; [Momentum] double p; }
        """);


    [Fact]
    public void NODE017_ModelWithOwnConstructor() => Reports("NODE017", """
        [OdeModel] public partial class M { [State] double x; public [|M|]() { } [Rates] double R() => -x; }
        """);

    [Fact]
    public void NODE017_RecordModel() => Reports("NODE017", """
        [OdeModel] public partial record [|M|] { [State] double x; [Rates] double R() => -x; }
        """);

    [Fact]
    public void NODE019_ModelAttributeOnTwoPartialDeclarations()
    {
        var d = Reports("NODE019", """
            [OdeModel] public partial class Decay { [State] double x; [Rates] double R() => -x; }
            [[|OdeModel|]] public partial class Decay { }
            """);
        MessageNames(d, "Decay", "Model0.cs");
    }

    [Fact]
    public void NODE099_InternalFailureBecomesADiagnostic()
    {
        ModelParser.BeforeParse.Value = _ => throw new InvalidOperationException("boom");
        try
        {
            Reports("NODE099", "[OdeModel] public partial class [|M|] { [State] double x; [Rates] double R() => -x; }");
        }
        finally
        {
            ModelParser.BeforeParse.Value = null;
        }
    }

    [Fact]
    public void ValidModelsProduceNoDiagnosticsAndCompile()
    {
        var outcome = GeneratorRunner.Run(Examples.All());
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        // One TorchSharp file per model, plus a native kernels file per eligible model (NativeKernelEmitterTests).
        Assert.Equal(Examples.ModelCount, outcome.ModelSources.Count);
    }
}
