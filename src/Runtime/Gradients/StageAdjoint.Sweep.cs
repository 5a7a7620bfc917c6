using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

internal static partial class StageAdjoint
{
    /// <summary>
    /// The reverse sweep over the recorded steps; returns ∂L/∂y0 and fills <paramref name="dParams"/> (outside any dispose
    /// scope). It runs over blocks of steps from the last: per block, one rates evaluation on all its stage points stacked
    /// gives their Jacobians (<see cref="Block"/>), the sweep through the block's stages runs on the host, and one backward
    /// pass of the stacked evaluation with the stage cotangents gives the block's <c>θ̄</c>.
    /// </summary>
    /// <remarks>
    /// The sweep itself is a sequential chain of tiny products (per stage, <c>[batch, n] × [n, n]</c> per row and an axpy or
    /// two): as tensor ops it cost ~17 dispatches per rk4 step, most of the backward pass on small models. On the host it is
    /// a few hundred multiply–adds per stage, with one copy of the block's Jacobians down and one of its stage cotangents
    /// up. It runs in float64 whatever the state's dtype (a float32 gradient is then rounded once, at the end). The stage
    /// adjoint only takes small batches (<see cref="MaxRowsTimesWidth"/>), so the copies stay a few hundred KB even on a GPU.
    /// </remarks>
    static Tensor Sweep(IOdeSystem system, StageTape tape, StageTape.RecordedStates states, Tensor g, Tensor[] parameters, Tensor?[] dParams)
    {
        var tab = tape.Tableau;
        int s = tab.Stages, steps = tape.Count;
        bool fsal = tab.IsFsal;
        var y0 = states.State(0);
        long batch = y0.shape[0], n = y0.shape[1];
        // Every cotangent of the sweep is one [batch, n] row-major host vector; null stands for zero.
        var cot = Cotangents.Distribute(tape, HostTensors.Read<double>(g), checked((int)(batch * n)), s);
        long blockRows = BlockRowsOverride > 0 ? BlockRowsOverride : MaxBlockRows;
        int stepsPerBlock = (int)Math.Max(1, blockRows / (s * batch * n));
        // Cotangent of y_{n+1} from the steps after n, and of f(t_{n+1}, y_{n+1}) still to be paid for.
        double[]? yBar = null, fBar = cot.F[steps];
        var kBar = new double[]?[s];
        for (int last = steps; last > 0; last -= stepsPerBlock)
        {
            int first = Math.Max(0, last - stepsPerBlock);
            using var blockScope = NewDisposeScope();
            // f(t_N, y_N) read only by the last step's Hermite output (not first same as last) is one more point.
            bool endPoint = last == steps && !fsal && fBar is not null;
            var block = Block.Create(system, tape, states, first, last, endPoint);
            if (endPoint)
            {
                yBar = Accumulate(yBar, block.Pull(block.EndPoint, fBar!), 1);
                fBar = null;
            }
            for (int step = last - 1; step >= first; step--)
            {
                double h = tape.H(step);
                var y1Bar = Accumulate(yBar, cot.Y[step + 1], 1);
                for (int j = 0; j < s; j++)
                {
                    kBar[j] = cot.K[step]?[j];
                    if (y1Bar is not null && tab.B[j] != 0) kBar[j] = Accumulate(kBar[j], y1Bar, h * tab.B[j]);
                }
                // First same as last: f(t_{n+1}, y_{n+1}) is this step's last stage.
                if (fsal) kBar[s - 1] = Accumulate(kBar[s - 1], fBar, 1);
                var y0Bar = y1Bar;
                for (int i = s - 1; i >= 0; i--)
                {
                    if (i == 0) kBar[0] = Accumulate(kBar[0], cot.F[step], 1);
                    if (kBar[i] is not { } ki) continue;
                    // A first-same-as-last method's stage 0 is the previous step's last stage: paid for there.
                    if (i == 0 && fsal && step > 0) break;
                    var stageBar = block.Pull(block.Point(step, i), ki);
                    y0Bar = Accumulate(y0Bar, stageBar, 1);
                    var a = tab.A[i];
                    for (int j = 0; j < i && j < a.Length; j++)
                        if (a[j] != 0) kBar[j] = Accumulate(kBar[j], stageBar, h * a[j]);
                }
                fBar = fsal ? kBar[0] : null;
                yBar = y0Bar;
            }
            block.AddParameterGradients(parameters, dParams);
        }
        var dy0 = Accumulate(yBar, cot.Y[0], 1);
        return dy0 is null ? zeros_like(y0) : HostTensors.Write<double>(dy0, batch, n).to(y0.dtype, y0.device);
    }

    // A block's rows × n (stage points × batch × n): at most 2^16, so its graph's activations stay a few MB and its
    // Jacobians (rows × n values) at most 512 KB in float64. The spiral's rk4 windows (37 points × 20 rows × 2 = 1 480)
    // fit in one block.
    const long MaxBlockRows = 1L << 16;

    /// <summary>Tests set a smaller block (rows per Jacobian call) on their thread to cross block boundaries; 0: the default.</summary>
    [ThreadStatic] internal static long BlockRowsOverride;

    /// <summary>
    /// The stage points of steps <c>[first, last)</c> stacked into one batch (point <c>m·s + i</c> is stage i of step
    /// <c>first + m</c>; stage 0 is the step's start state; then the end state when asked), evaluated once with a graph:
    /// the Jacobians <c>∂f/∂y</c> of every row at every point from n backward passes of it (row j of each Jacobian from the
    /// cotangent <c>e_j</c> on every row), copied to the host once; the stage cotangents the sweep pulls through them; and
    /// the parameter gradient <c>Σ_points k̄ᵀ∂f/∂θ</c> from one last backward pass with those cotangents (autograd sums the
    /// parameter products over the rows). Exact: the same derivatives as autograd through each stage, summed in another
    /// order. Needs rates whose rows are independent (<see cref="IStageVjp.RowsStack"/>).
    /// </summary>
    sealed class Block
    {
        readonly Tensor _y, _f;
        // J[p][b][j][l] = ∂f_j/∂y_l at point p, row b (row-major); the cotangent k̄ pulled at each point, [p][b][j].
        readonly double[] _jacobians, _cotangents;
        readonly int _first, _stages, _batch, _n;

        Block(Tensor y, Tensor f, double[] jacobians, int first, int stages, int batch, int n)
        {
            (_y, _f, _jacobians, _first, _stages, _batch, _n) = (y, f, jacobians, first, stages, batch, n);
            _cotangents = new double[jacobians.Length / n];
        }

        public static Block Create(IOdeSystem system, StageTape tape, StageTape.RecordedStates states, int first, int last, bool endPoint)
        {
            var tab = tape.Tableau;
            int s = tab.Stages, points = (last - first) * s + (endPoint ? 1 : 0);
            var y0 = states.State(0);
            long batch = y0.shape[0], n = y0.shape[1];
            var ys = new Tensor[points];
            var times = new double[points * batch];
            for (int step = first; step < last; step++)
                for (int i = 0; i < s; i++)
                {
                    int p = (step - first) * s + i;
                    ys[p] = i == 0 ? states.State(step) : states.Stage(step, i);
                    Array.Fill(times, tape.T0(step) + tab.C[i] * tape.H(step), (int)(p * batch), (int)batch);
                }
            if (endPoint)
            {
                ys[^1] = states.State(last);
                Array.Fill(times, tape.T0(last - 1) + tape.H(last - 1), (int)((points - 1) * batch), (int)batch);
            }
            long rows = points * batch;
            var y = cat(ys).requires_grad_(true);
            var t = tensor(times, new long[] { rows, 1 }, y0.dtype, y0.device);
            Tensor f;
            using (enable_grad()) f = system.Rates(t, y);
            // Row j of every Jacobian: the gradient of Σ f_j with respect to the stacked states (rows are independent).
            // (TorchSharp's autograd.grad does not turn libtorch's errors into exceptions: ask only what the graph has.)
            var jacobianRows = new Tensor[n];
            for (int j = 0; j < n; j++)
            {
                Tensor? row = null;
                if (f.requires_grad)
                {
                    var unit = zeros(new long[] { rows, n }, y0.dtype, y0.device);
                    unit.select(1, j).fill_(ScalarOps.One);
                    row = autograd.grad([f], [y], [unit], retain_graph: true, allow_unused: true)[0];
                }
                // f does not depend on y (nor, for f without a graph, on anything): that row of the Jacobian is zero.
                jacobianRows[j] = row is { IsInvalid: false } ? row : zeros(new long[] { rows, n }, y0.dtype, y0.device);
            }
            // [points·batch, n (row j), n]: one copy to the host (one device sync per block).
            var jacobians = HostTensors.Read<double>(stack(jacobianRows, 1));
            return new Block(y, f, jacobians, first, s, (int)batch, (int)n);
        }

        /// <summary>The point of stage <paramref name="stage"/> of step <paramref name="step"/>.</summary>
        public int Point(int step, int stage) => (step - _first) * _stages + stage;

        /// <summary>The end state's point (only when the block was created with it).</summary>
        public int EndPoint => _cotangents.Length / (_batch * _n) - 1;

        /// <summary><c>k̄ᵀ∂f/∂y</c> at <paramref name="point"/>, row by row (<c>[batch, n]</c>); remembers <paramref name="k"/> for the parameter gradient.</summary>
        public double[] Pull(int point, double[] k)
        {
            int width = _batch * _n;
            Array.Copy(k, 0, _cotangents, point * width, width);
            var result = new double[width];
            for (int b = 0; b < _batch; b++)
            {
                int row = b * _n, jacobian = (point * _batch + b) * _n * _n;
                for (int j = 0; j < _n; j++)
                {
                    double kj = k[row + j];
                    for (int l = 0; l < _n; l++) result[row + l] += kj * _jacobians[jacobian + j * _n + l];
                }
            }
            return result;
        }

        /// <summary>Adds <c>Σ_points k̄ᵀ∂f/∂θ</c> into <paramref name="dParams"/> (outside every dispose scope) and frees the graph.</summary>
        public void AddParameterGradients(Tensor[] parameters, Tensor?[] dParams)
        {
            var wanted = Enumerable.Range(0, parameters.Length).Where(p => parameters[p].requires_grad).ToArray();
            // Rates without a graph depend on no parameter: every θ̄ of this block is zero.
            if (wanted.Length == 0 || !_f.requires_grad) return;
            var k = HostTensors.Write<double>(_cotangents, _cotangents.Length / _n, _n).to(_y.dtype, _y.device);
            var grads = autograd.grad([_f], wanted.Select(p => parameters[p]).ToArray(), [k], allow_unused: true);
            for (int w = 0; w < wanted.Length; w++)
            {
                int p = wanted[w];
                if (grads[w] is not { IsInvalid: false } gp) continue;
                if (dParams[p] is { } sum) sum.add_(gp, ScalarOps.One);
                else dParams[p] = gp.DetachFromDisposeScope();
            }
        }
    }

    // acc + c·x, in place on acc (null stands for zero; a null acc gets a new vector, so no caller's vector is aliased).
    static double[]? Accumulate(double[]? acc, double[]? x, double c)
    {
        if (x is null) return acc;
        if (acc is null)
        {
            acc = new double[x.Length];
            for (int i = 0; i < x.Length; i++) acc[i] = c * x[i];
            return acc;
        }
        for (int i = 0; i < x.Length; i++) acc[i] += c * x[i];
        return acc;
    }

    /// <summary>
    /// The output cotangents distributed onto what each output read: the states <c>y_n</c> (<see cref="Y"/>, n = 0…N), the
    /// rates <c>f(t_n, y_n)</c> (<see cref="F"/>, Hermite outputs) and the stages of step n (<see cref="K"/>, the tableau's
    /// own dense output), each a <c>[batch, n]</c> host vector. Null entries are zero.
    /// </summary>
    sealed record Cotangents(double[]?[] Y, double[]?[] F, double[]?[]?[] K)
    {
        /// <summary>Distributes <paramref name="g"/> (<c>[outputs, batch, n]</c> row-major, <paramref name="width"/> = batch·n per output).</summary>
        public static Cotangents Distribute(StageTape tape, double[] g, int width, int stages)
        {
            int steps = tape.Count;
            var y = new double[]?[steps + 1];
            var f = new double[]?[steps + 1];
            var k = new double[]?[]?[steps];
            var dense = tape.Tableau.Dense;
            double[] Output(int o) => g.AsSpan(o * width, width).ToArray();
            y[0] = Output(0);
            for (int output = 1; output < tape.Outputs; output++)
            {
                var (n, theta) = tape.OutputSource(output);
                var go = Output(output);
                double h = tape.H(n);
                if (theta == 1)
                {
                    y[n + 1] = Accumulate(y[n + 1], go, 1);
                }
                else if (dense is not null)
                {
                    // y0 + h Σ_j b_j(θ) k_j (TableauDenseOutput).
                    y[n] = Accumulate(y[n], go, 1);
                    var kn = k[n] ??= new double[]?[stages];
                    for (int j = 0; j < dense.Count; j++)
                    {
                        double power = theta, w = 0;
                        foreach (var coefficient in dense[j]) { w += coefficient * power; power *= theta; }
                        if (w != 0) kn[j] = Accumulate(kn[j], go, h * w);
                    }
                }
                else
                {
                    // h00 y0 + h01 y1 + h·h10 f0 + h·h11 f1 (HermiteDenseOutput).
                    double t2 = theta * theta, t3 = t2 * theta;
                    y[n] = Accumulate(y[n], go, 2 * t3 - 3 * t2 + 1);
                    y[n + 1] = Accumulate(y[n + 1], go, -2 * t3 + 3 * t2);
                    f[n] = Accumulate(f[n], go, h * (t3 - 2 * t2 + theta));
                    f[n + 1] = Accumulate(f[n + 1], go, h * (t3 - t2));
                }
            }
            return new Cotangents(y, f, k);
        }
    }
}
