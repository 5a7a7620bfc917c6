using NodeDsl;

namespace LotkaVolterraUde;

/// <summary>The true predator–prey system x' = αx − βxy, y' = γxy − δy (Rackauckas et al. 2020, §2.1).</summary>
[OdeModel]
public partial class LotkaVolterraTruth
{
    [State] double prey, predator;
    [Constant] public const double Alpha = 1.3, Beta = 0.9, Gamma = 0.8, Delta = 1.8;

    [Rates]
    (double prey, double predator) Rhs() => (Alpha * prey - Beta * prey * predator, Gamma * prey * predator - Delta * predator);
}
