using NodeDsl;
using static NodeDsl.DslMath;

namespace Spiral;

/// <summary>The spiral benchmark dy/dt = y³A, A = [[-0.1, 2.0], [-2.0, -0.1]], written in the NodeDsl DSL.</summary>
/// <remarks>Row-vector convention: (y₁³, y₂³)·A = (−0.1·y₁³ − 2·y₂³, 2·y₁³ − 0.1·y₂³).</remarks>
[OdeModel]
public partial class TrueSpiral
{
    [State] double y1, y2;
    [Constant] double a11 = -0.1, a12 = 2.0, a21 = -2.0, a22 = -0.1;

    [Rates]
    (double y1, double y2) Rhs()
    {
        var c1 = Pow(y1, 3);
        var c2 = Pow(y2, 3);
        return (c1 * a11 + c2 * a21, c1 * a12 + c2 * a22);
    }
}
