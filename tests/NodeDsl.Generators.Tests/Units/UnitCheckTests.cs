using NodeDsl.Generators.Tests.Infrastructure;

namespace NodeDsl.Generators.Tests.Units;

/// <summary>
/// Models annotated with units compile clean (the families of the examples: a UDE with a network, an epidemic model, the
/// Hamiltonian pendulum and spring, the Vec spring chain), and declaring units changes no generated code.
/// </summary>
public class UnitCheckTests
{
    const string Usings = "using NodeDsl;\nusing static NodeDsl.DslMath;\nnamespace Test;\n";

    public static TheoryData<string> AnnotatedModels => new()
    {
        // Lotka–Volterra UDE: densities in 1/km², time in days; the network sees densities over a scale and returns a rate.
        """
        [OdeModel(TimeUnit = "d")]
        public partial class LotkaVolterraUnits
        {
            [State(Unit = "1/km^2")] double prey, predator;
            [Constant(Unit = "1/km^2")] double density = 10;
            [Constant(Unit = "1/d")] double delta = 1.8;
            [Learnable(Unit = "1/d")] double alpha = 1.0;

            [Neural(32, 32, OutputUnit = "1/(km^2*d)")]
            private partial (double a, double b) Missing(double prey, double predator);

            [Rates]
            (double prey, double predator) Rhs()
            {
                var u = Missing(prey / density, predator / density);
                return (alpha * prey + u.a, -delta * predator + u.b);
            }
        }
        """,
        // SIR with fractions (pure numbers), rates per day, a time-dependent contact rate.
        """
        [OdeModel(TimeUnit = "d")]
        public partial class Sir
        {
            [State] double S, I, R;
            [Time] double t;
            [Constant(Unit = "1/d")] double beta = 0.3;
            [Constant(Unit = "d")] double period = 365;
            [Learnable(Unit = "1/d")] double gamma = 0.1;

            [Rates]
            (double S, double I, double R) Rhs()
            {
                var contact = beta * (1 + Cos(2 * 3.14159 * t / period) / 5);
                return (-contact * S * I, contact * S * I - gamma * I, gamma * I);
            }
        }
        """,
        // Pendulum: angle in rad (a pure number), angular momentum in kg·m²/s, energy in J.
        """
        [HamiltonianModel(TimeUnit = "s")]
        public partial class Pendulum
        {
            [Coordinate(Unit = "rad")] double q;
            [Momentum(Unit = "kg*m^2/s")] double p;
            [Constant(Unit = "kg")] double m = 1.0;
            [Constant(Unit = "m/s^2")] double g = 9.81;
            [Learnable(Unit = "m")] double length = 1.0;

            [Energy]
            double H => p * p / (2 * m * length * length) + m * g * length * (1 - Cos(q));
        }
        """,
        // Spring with a const mass (folded by the compiler, measured from its syntax) and a network potential on x/L.
        """
        [HamiltonianModel(TimeUnit = "s")]
        public partial class Spring
        {
            [Coordinate(Unit = "m")] double x;
            [Momentum(Unit = "kg*m/s")] double p;
            [Constant(Unit = "kg")] const double Mass = 2;
            [Constant(Unit = "N/m")] double k = 3;
            [Constant(Unit = "m")] double L = 1;
            [Neural(16, OutputUnit = "J")] private partial double V(double x);

            [Energy]
            double H => p * p / (2 * Mass) + k * x * x / 2 + V(x / L) + Pow(k / Mass, 0.5) * Sqrt(k * Mass) * x * x / 10;
        }
        """,
        // The Vec spring chain.
        """
        [HamiltonianModel(TimeUnit = "s")]
        public partial class SpringChain
        {
            [Coordinate(Size = 8, Unit = "m")] Vec q;
            [Momentum(Size = 8, Unit = "kg*m/s")] Vec p;
            [Constant(Unit = "kg")] double m = 1.0;
            [Learnable(Unit = "N/m")] double k = 4.0;

            [Energy]
            double H => Dot(p, p) / (2 * m) + k / 2 * Sum(Square(q[1..] - q[..^1])) + k / 2 * (q[0] * q[0] + q[^1] * q[^1]);
        }
        """,
    };

    [Theory]
    [MemberData(nameof(AnnotatedModels))]
    public void AnnotatedModelCompilesClean(string model)
    {
        var outcome = GeneratorRunner.Run(Usings + model);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Single(outcome.ModelSources);
    }

    [Fact]
    public void UnitsChangeNoGeneratedCode()
    {
        const string plain = """
            [HamiltonianModel] public partial class P
            {
                [Coordinate] double q; [Momentum] double p; [Constant] double m = 1.0; [Constant] double g = 9.81; [Learnable] double length = 1.0;
                [Energy] double H => p * p / (2 * m * length * length) + m * g * length * (1 - Cos(q));
            }
            """;
        const string annotated = """
            [HamiltonianModel(TimeUnit = "s")] public partial class P
            {
                [Coordinate(Unit = "rad")] double q; [Momentum(Unit = "kg*m^2/s")] double p; [Constant(Unit = "kg")] double m = 1.0; [Constant(Unit = "m/s^2")] double g = 9.81; [Learnable(Unit = "m")] double length = 1.0;
                [Energy] double H => p * p / (2 * m * length * length) + m * g * length * (1 - Cos(q));
            }
            """;
        var a = GeneratorRunner.Run(Usings + plain);
        var b = GeneratorRunner.Run(Usings + annotated);
        Assert.Empty(b.GeneratorDiagnostics);
        Assert.Equal(a.Sources.Select(s => s.Text), b.Sources.Select(s => s.Text));
    }
}
