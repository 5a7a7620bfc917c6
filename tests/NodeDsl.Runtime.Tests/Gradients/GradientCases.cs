using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>One gradient test problem: a system, a batch of initial states, output times and the tensors to check.</summary>
internal sealed record GradientCase(string Name, IOdeSystem System, Tensor Y0, Tensor Ts, (string Name, Tensor Value)[] Checked)
{
    /// <summary>Fixed loss weights, so the loss is a smooth scalar of every output (see <see cref="Loss"/>).</summary>
    public Tensor Weights { get; } = Seeded(() => randn(Ts.shape[0], Y0.shape[0], Y0.shape[1], dtype: float64), 11);

    /// <summary>L = Σ W∘ys + 0.05 Σ ys²: linear and quadratic terms, so the cotangents depend on the trajectory.</summary>
    public Tensor Loss(Tensor ys) => ys.mul(Weights).sum().add(ScalarOps.Mul(ys.square().sum(), 0.05));

    public static GradientCase Create(string name) => name switch
    {
        "node" => Make(name, new CubicMlpOde(), new double[,] { { 1.2, 0.0 }, { 0.5, 0.8 }, { -0.6, 0.4 } }, 0, 1.0, 11),
        "lv" => Make(name, new LotkaVolterraUde(), new double[,] { { 1.0, 1.0 }, { 0.5, 1.5 }, { 1.6, 0.7 } }, 0, 1.5, 7),
        "oscillator" => Oscillator(),
        "pendulum" => Make(name, new HamiltonianPendulum(), new double[,] { { 1.0, 0.0 }, { 0.4, 0.6 } }, 0, 1.0, 6),
        _ => throw new ArgumentException(name),
    };

    public static readonly string[] Names = ["node", "lv", "oscillator", "pendulum"];

    static GradientCase Make(string name, IOdeSystem system, double[,] y0, double t0, double t1, int points)
    {
        var checkedTensors = new List<(string, Tensor)>();
        var y = tensor(y0, float64).requires_grad_(true);
        checkedTensors.Add(("y0", y));
        if (system is TorchSharp.torch.nn.Module module)
            foreach (var (n, p) in module.named_parameters()) checkedTensors.Add((n, p));
        return new GradientCase(name, system, y, linspace(t0, t1, points, dtype: float64), [.. checkedTensors]);
    }

    static GradientCase Oscillator()
    {
        var (system, wrapped) = ForcedOscillator.Create(4);
        var y = tensor(new double[,] { { 1.0, 0.0 }, { 0.3, -0.5 }, { -1.0, 0.2 }, { 0.0, 1.0 } }, float64).requires_grad_(true);
        // Irregular output times starting away from 0, so the forcing makes the rates time-dependent everywhere.
        var ts = tensor(new[] { 0.2, 0.5, 0.6, 1.1, 1.8, 2.0, 2.7, 3.0 }, float64);
        return new GradientCase("oscillator", wrapped, y, ts,
            [("y0", y), ("mu", system.Mu), ("damping", system.Damping), ("omega", system.Omega)]);
    }

    static T Seeded<T>(Func<T> create, long seed)
    {
        manual_seed(seed);
        return create();
    }
}
