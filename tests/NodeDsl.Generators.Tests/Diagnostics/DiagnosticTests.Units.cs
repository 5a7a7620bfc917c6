using static NodeDsl.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace NodeDsl.Generators.Tests.Diagnostics;

/// <summary>Diagnostics of the compile-time dimensional analysis (Units/): one model per rule.</summary>
public partial class DiagnosticTests
{
    [Fact]
    public void NODE031_UnknownUnitSymbol() => MessageNames(Reports("NODE031", """
        [OdeModel(TimeUnit = "s")] public partial class M { [State(Unit = [|"meters"|])] double x; [Rates] double R() => -x; }
        """), "'meters'", "not a known unit symbol");

    [Fact]
    public void NODE031_ExponentWithoutNumber() => MessageNames(Reports("NODE031", """
        [OdeModel(TimeUnit = [|"s^"|])] public partial class M { [State] double x; [Rates] double R() => -x; }
        """), "exponent");

    [Fact]
    public void NODE032_PositionPlusVelocity() => MessageNames(Reports("NODE032", """
        [OdeModel(TimeUnit = "s")] public partial class M
        {
            [State(Unit = "m")] double x;
            [State(Unit = "m/s")] double v;
            [Rates] (double x, double v) R() => (v, [|x + v|]);
        }
        """), "adds", "m and m/s");

    [Fact]
    public void NODE032_KilometresMinusMetres() => MessageNames(Reports("NODE032", """
        [OdeModel(TimeUnit = "s")] public partial class M
        {
            [State(Unit = "km")] double x;
            [Constant(Unit = "m")] double x0 = 3;
            [Constant(Unit = "1/s")] double k = 1;
            [Rates] double R() => -k * ([|x - x0|]);
        }
        """), "subtracts", "1000*m", "and m");

    [Fact]
    public void NODE033_ExpOfALength() => MessageNames(Reports("NODE033", """
        [OdeModel(TimeUnit = "s")] public partial class M
        {
            [State(Unit = "m")] double x;
            [Constant(Unit = "1/s")] double k = 1;
            [Rates] double R() => -k * x * Exp([|-x|]);
        }
        """), "argument of Exp is in m");

    [Fact]
    public void NODE034_NetworkOfAVelocity() => MessageNames(Reports("NODE034", """
        [OdeModel(TimeUnit = "s")] public partial class M
        {
            [State(Unit = "m")] double x;
            [State(Unit = "m/s")] double v;
            [Neural(8, OutputUnit = "m/s^2")] private partial double F(double x, double v);
            [Constant(Unit = "m")] double L = 1;
            [Rates] (double x, double v) R() => (v, F(x / L, [|v|]));
        }
        """), "'F'", "m/s");

    [Fact]
    public void NODE035_RateInTheWrongUnit() => MessageNames(Reports("NODE035", """
        [OdeModel(TimeUnit = "h")] public partial class M
        {
            [State(Unit = "mmol/L")] double c;
            [Constant(Unit = "1/h")] double k = 0.5;
            [Rates] double R() => [|-k * c * c|];
        }
        """), "'c'", "must be in");

    [Fact]
    public void NODE036_EnergyWithoutTheMass() => MessageNames(Reports("NODE036", """
        [HamiltonianModel(TimeUnit = "s")] public partial class M
        {
            [Coordinate(Unit = "m")] double q;
            [Momentum(Unit = "kg*m/s")] double p;
            [Constant(Unit = "kg^2/s^2")] double k = 1;
            [Energy] double H => [|p * p / 2 + k * q * q|];
        }
        """), "'H'", "(J)");

    [Fact]
    public void NODE037_PowerWithALearnedExponent() => MessageNames(Reports("NODE037", """
        [OdeModel(TimeUnit = "s")] public partial class M
        {
            [State(Unit = "m")] double x;
            [Learnable] double a = 2;
            [Constant(Unit = "1/s")] double k = 1;
            [Rates] double R() => -k * [|Pow(x, a)|];
        }
        """), "Pow of a value in m", "not a compile-time constant");

    [Fact]
    public void NODE038_VecOfPositionAndVelocity() => MessageNames(Reports("NODE038", """
        [OdeModel(TimeUnit = "s")] public partial class M
        {
            [State(Unit = "m")] double x;
            [State(Unit = "m/s")] double v;
            [Rates] (double x, double v) R() => (v, -Sum(Vec.Of(x, [|v|])) / 1);
        }
        """), "m and m/s");

    [Fact]
    public void NODE039_UnitsWithoutTimeUnit() => MessageNames(Reports("NODE039", """
        [OdeModel] public partial class [|M|] { [State(Unit = "m")] double x; [Rates] double R() => -x; }
        """), "TimeUnit", "[OdeModel]");
}
