using NodeDsl;

namespace SystemIdentification;

/// <summary>Rates as a learnable linear map dz/dt = Â z: the four entries of Â are the parameters.</summary>
[OdeModel]
public partial class LinearModel
{
    [State] double z1, z2;
    [Learnable] double a11 = 0.0, a12 = 0.0, a21 = 0.0, a22 = 0.0;

    [Rates]
    (double z1, double z2) Rhs() => (a11 * z1 + a12 * z2, a21 * z1 + a22 * z2);
}
