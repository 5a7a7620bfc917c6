using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Restarted GMRES (Saad &amp; Schultz 1986; Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., Alg. 6.9) for a batch
/// of independent systems <c>A_b x_b = r_b</c>, each row with its own Krylov basis. The basis vectors and the products stay
/// batched tensors (<c>[batch, n]</c>, orthogonalised by classical Gram–Schmidt applied twice, which keeps the basis
/// orthogonal to round-off and needs two batched matmuls per iteration instead of j small ones); the small Hessenberg
/// least-squares problems run on the host with Givens rotations, which also give every row's residual norm without extra
/// work. One device sync per iteration (the new Hessenberg column).
/// </summary>
internal static class Gmres
{
    // Below this a norm is treated as zero (a direction that vanished): it is not divided by.
    const double Tiny = 1e-30;

    /// <summary>
    /// Solves <c>A x = b</c> row by row from x = 0 until every row's residual is at most <c>tolerance·‖b_row‖</c>.
    /// Returns x, or null when <see cref="KrylovSettings.MaxIterations"/> products were spent first. No graph.
    /// </summary>
    /// <param name="apply">The batched operator: <c>v ↦ A v</c> for <c>[batch, n]</c>.</param>
    /// <param name="b">Right-hand sides <c>[batch, n]</c>.</param>
    /// <param name="settings">Krylov dimension, budget and tolerance.</param>
    /// <param name="iterations">Products of <paramref name="apply"/> spent.</param>
    public static Tensor? Solve(Func<Tensor, Tensor> apply, Tensor b, KrylovSettings settings, out int iterations)
    {
        using var noGrad = torch.no_grad();
        using var outer = NewDisposeScope();
        var x = zeros_like(b);
        iterations = 0;
        double[]? target = null;
        while (true)
        {
            using var scope = NewDisposeScope();
            var r = iterations == 0 ? b.detach() : b.detach().sub(apply(x));
            var norm = RowNorms(r);
            var beta = Host(norm);
            target ??= [.. beta.Select(v => settings.Tolerance * v)];
            if (beta.Zip(target).All(p => p.First <= p.Second)) return x.MoveToOuterDisposeScope();
            if (iterations >= settings.MaxIterations) return null;

            int m = Math.Min(settings.Restart, settings.MaxIterations - iterations);
            var cycle = new Cycle(beta, m);
            var basis = new List<Tensor> { Normalised(r, norm) };
            for (int j = 0; j < m; j++)
            {
                var w = apply(basis[j]);
                var v = stack(basis, 1);                                   // [batch, j+1, n]
                var h = bmm(v, w.unsqueeze(-1)).squeeze(-1);               // [batch, j+1]
                w = w.sub(bmm(h.unsqueeze(1), v).squeeze(1));
                var again = bmm(v, w.unsqueeze(-1)).squeeze(-1);           // second pass: restores orthogonality lost to cancellation
                w = w.sub(bmm(again.unsqueeze(1), v).squeeze(1));
                var wNorm = RowNorms(w);
                iterations++;
                bool done = cycle.AddColumn(Host(cat([h.add(again, ScalarOps.One), wNorm], 1)), target);
                basis.Add(Normalised(w, wNorm));
                if (done || iterations >= settings.MaxIterations) break;
            }
            int k = cycle.Columns;
            var y = torch.tensor(cycle.LeastSquares(), [b.shape[0], 1, k], b.dtype, b.device);
            x = x.add(bmm(y, stack(basis.Take(k), 1)).squeeze(1), ScalarOps.One).MoveToOuterDisposeScope();
        }
    }

    static Tensor RowNorms(Tensor v) => ScalarOps.Square(v).sum(1, keepdim: true).sqrt();

    // v / ‖v‖ per row; a row whose norm vanished stays zero (its residual is already zero).
    static Tensor Normalised(Tensor v, Tensor norm) => v.div(ScalarOps.ClampMin(norm, Tiny)).mul(ScalarOps.Gt(norm, Tiny));

    static double[] Host(Tensor t)
    {
        using var cpu = t.to(ScalarType.Float64).cpu();
        return cpu.data<double>().ToArray();
    }

    /// <summary>The host side of one restart cycle: per row, the Hessenberg matrix reduced to R by Givens rotations, and g.</summary>
    sealed class Cycle(double[] beta, int m)
    {
        readonly int _rows = beta.Length;
        readonly double[,,] _r = new double[beta.Length, m + 1, m];
        readonly double[,] _cos = new double[beta.Length, m], _sin = new double[beta.Length, m];
        readonly double[,] _g = Start(beta, m);
        // Columns a row can use: fewer than Columns after an exact breakdown (its residual is then zero).
        readonly int[] _usable = [.. Enumerable.Repeat(m, beta.Length)];

        public int Columns { get; private set; }

        static double[,] Start(double[] beta, int m)
        {
            var g = new double[beta.Length, m + 1];
            for (int b = 0; b < beta.Length; b++) g[b, 0] = beta[b];
            return g;
        }

        /// <summary>Adds Hessenberg column j (<c>[batch, j+2]</c> row-major); true when every row's residual is within target.</summary>
        public bool AddColumn(double[] column, double[] target)
        {
            int j = Columns++;
            bool all = true;
            for (int b = 0; b < _rows; b++)
            {
                if (_usable[b] < j + 1) continue;
                int offset = b * (j + 2);
                for (int i = 0; i <= j + 1; i++) _r[b, i, j] = column[offset + i];
                for (int i = 0; i < j; i++)
                {
                    double upper = _r[b, i, j], lower = _r[b, i + 1, j];
                    _r[b, i, j] = _cos[b, i] * upper + _sin[b, i] * lower;
                    _r[b, i + 1, j] = -_sin[b, i] * upper + _cos[b, i] * lower;
                }
                double a = _r[b, j, j], c = _r[b, j + 1, j], radius = Math.Sqrt(a * a + c * c);
                if (radius == 0)
                {
                    // Exact breakdown before this column: the earlier columns already solve this row exactly.
                    _usable[b] = j;
                    continue;
                }
                (_cos[b, j], _sin[b, j]) = (a / radius, c / radius);
                _r[b, j, j] = radius;
                _r[b, j + 1, j] = 0;
                _g[b, j + 1] = -_sin[b, j] * _g[b, j];
                _g[b, j] *= _cos[b, j];
                all &= Math.Abs(_g[b, j + 1]) <= target[b];
            }
            return all;
        }

        /// <summary>Per row, <c>argmin ‖g − R y‖</c> over the columns so far, by back substitution; <c>[batch · Columns]</c>.</summary>
        public double[] LeastSquares()
        {
            int k = Columns;
            var y = new double[_rows * k];
            for (int b = 0; b < _rows; b++)
            {
                int used = Math.Min(k, _usable[b]);
                for (int i = used - 1; i >= 0; i--)
                {
                    double sum = _g[b, i];
                    for (int l = i + 1; l < used; l++) sum -= _r[b, i, l] * y[b * k + l];
                    y[b * k + i] = sum / _r[b, i, i];
                }
            }
            return y;
        }
    }
}
