using static NodeDsl.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace NodeDsl.Generators.Tests.Diagnostics;

/// <summary>Diagnostics of Hamiltonian models with Vec coordinates and momenta.</summary>
public partial class DiagnosticTests
{
    [Fact]
    public void NODE030_MomentumSizeDiffersFromItsCoordinate() => MessageNames(Reports("NODE030", """
        [HamiltonianModel] public partial class Chain
        {
            [Coordinate(Size = 3)] Vec q;
            [Momentum(Size = 2)] Vec [|p|];
            [Energy] double H => Dot(p, p) / 2 + Dot(q, q) / 2;
        }
        """), "2 components", "3 components", "[Momentum(Size = 3)] Vec p");

    [Fact]
    public void NODE030_ScalarMomentumForAVecCoordinate() => MessageNames(Reports("NODE030", """
        [HamiltonianModel] public partial class Chain
        {
            [Coordinate(Size = 2)] Vec q;
            [Momentum] double [|p|];
            [Energy] double H => p * p / 2 + Dot(q, q) / 2;
        }
        """), "1 component (a double)", "'q'");

    [Fact]
    public void NODE024_VecCoordinateWithoutSize() => MessageNames(Reports("NODE024", """
        [HamiltonianModel] public partial class Chain
        {
            [Coordinate] Vec [|q|];
            [Momentum(Size = 2)] Vec p;
            [Energy] double H => Dot(p, p) / 2;
        }
        """), "[Coordinate(Size = 2)]");
}
