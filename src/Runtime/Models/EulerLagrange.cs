using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// The Euler–Lagrange accelerations of generated <c>[LagrangianModel]</c> models (Cranmer et al. 2020, eq. 6):
/// q̈ = M⁻¹ (∇qL − C q̇ − ∂²L/∂q̇∂t) with the mass matrix M = ∂²L/∂q̇∂q̇ᵀ and C = ∂²L/∂q̇∂qᵀ. The generated code derives
/// M, C and ∇qL of the known terms symbolically; <see cref="NetworkTerms"/> adds those of the network terms by autograd.
/// </summary>
public static class EulerLagrange
{
    /// <summary>
    /// <paramref name="x"/> itself when it requires grad (its graph is kept, so gradients flow through the accelerations),
    /// else a detached copy that requires grad (so the network terms can be differentiated with respect to it).
    /// </summary>
    public static Tensor Differentiable(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.requires_grad ? x : x.detach().requires_grad_(true);
    }

    /// <summary>
    /// The Euler–Lagrange parts of the network terms <paramref name="lagrangian"/> (<c>[batch, 1]</c>, computed from the
    /// state <paramref name="y"/>, which requires grad): ∇qL by one backward pass, and the rows of M, C and ∂²L/∂q̇∂t by
    /// one more pass per velocity — the Hessian–vector products of ∂L/∂q̇ᵢ with the unit vectors. Derivatives are taken
    /// with respect to <paramref name="y"/> itself (the generated code may read a state through any view of it). Rows of a
    /// batch are independent, so summing L over the batch gives every row's derivatives at once.
    /// </summary>
    /// <param name="lagrangian">The network terms of L, <c>[batch, 1]</c>.</param>
    /// <param name="y">The state <c>[batch, StateSize]</c> the terms were computed from.</param>
    /// <param name="coordinates">The columns of q₀ … qₙ₋₁ in <paramref name="y"/>.</param>
    /// <param name="velocities">The columns of q̇₀ … q̇ₙ₋₁ in <paramref name="y"/>.</param>
    /// <param name="time">The time column when the terms read it (it must require grad), else null.</param>
    /// <param name="createGraph">Keep the graph of the second derivatives (training through the accelerations).</param>
    /// <returns>∇qL <c>[batch, n]</c>, M and C row-major <c>[batch, n·n]</c>, ∂²L/∂q̇∂t <c>[batch, n]</c> (null without time).</returns>
    public static (Tensor Force, Tensor Mass, Tensor Mixed, Tensor? TimeMixed) NetworkTerms(
        Tensor lagrangian, Tensor y, long[] coordinates, long[] velocities, Tensor? time, bool createGraph)
    {
        ArgumentNullException.ThrowIfNull(lagrangian);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(velocities);
        int n = coordinates.Length;
        long batch = y.shape[0];
        using var q = tensor(coordinates, device: y.device);
        using var qdot = tensor(velocities, device: y.device);
        Tensor Zeros(long width) => zeros(batch, width, dtype: y.dtype, device: y.device);
        if (!lagrangian.requires_grad) return (Zeros(n), Zeros(n * n), Zeros(n * n), time is null ? null : Zeros(n));
        var wrt = time is null ? new[] { y } : new[] { y, time };
        // The first derivatives keep their graph: the second derivatives differentiate them again.
        var first = autograd.grad([lagrangian.sum()], wrt, retain_graph: true, create_graph: true, allow_unused: true);
        var gradient = first[0] is { IsInvalid: false } g ? g : Zeros(y.shape[1]);
        var force = gradient.index_select(1, q);
        var mass = new Tensor[n];
        var mixed = new Tensor[n];
        var timeMixed = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            var momentum = gradient.select(1, velocities[i]);
            var second = momentum.requires_grad
                ? autograd.grad([momentum.sum()], wrt, retain_graph: true, create_graph: createGraph, allow_unused: true)
                : null;
            var row = second?[0] is { IsInvalid: false } r ? r : Zeros(y.shape[1]);
            mixed[i] = row.index_select(1, q);
            mass[i] = row.index_select(1, qdot);
            timeMixed[i] = time is not null && second?[1] is { IsInvalid: false } dt ? dt.expand(batch, 1) : Zeros(1);
        }
        return (force, cat(mass, 1), cat(mixed, 1), time is null ? null : cat(timeMixed, 1));
    }

    /// <summary>
    /// Solves M q̈ = ∇qL − C q̇ − ∂²L/∂q̇∂t row by row (<c>torch.linalg.solve_ex</c> over <c>[batch, n, n]</c>).
    /// </summary>
    /// <param name="mass">M, row-major <c>[batch, n·n]</c>.</param>
    /// <param name="mixed">C, row-major <c>[batch, n·n]</c>.</param>
    /// <param name="force">∇qL, <c>[batch, n]</c>.</param>
    /// <param name="timeMixed">∂²L/∂q̇∂t, <c>[batch, n]</c>, or null for a Lagrangian without explicit time.</param>
    /// <param name="velocities">q̇, <c>[batch, n]</c>.</param>
    /// <param name="model">The model's name, for the error message.</param>
    /// <param name="velocityNames">The velocities' names in order, for the error message.</param>
    /// <returns>q̈, <c>[batch, n]</c>.</returns>
    /// <exception cref="SingularMassMatrixException">M is exactly singular in some row (the message names the rows and states).</exception>
    public static Tensor Accelerations(Tensor mass, Tensor mixed, Tensor force, Tensor? timeMixed, Tensor velocities,
                                       string model, IReadOnlyList<string> velocityNames)
    {
        ArgumentNullException.ThrowIfNull(mass);
        ArgumentNullException.ThrowIfNull(mixed);
        ArgumentNullException.ThrowIfNull(force);
        ArgumentNullException.ThrowIfNull(velocities);
        ArgumentNullException.ThrowIfNull(velocityNames);
        long batch = force.shape[0];
        int n = velocityNames.Count;
        var m = Columns(mass, batch).reshape(batch, n, n);
        var rhs = Columns(force, batch) - matmul(Columns(mixed, batch).reshape(batch, n, n), velocities.unsqueeze(-1)).squeeze(-1);
        if (timeMixed is not null) rhs = rhs - Columns(timeMixed, batch);
        // linalg.solve checks LAPACK's info with a host sync anyway; solve_ex and one check cost the same and let the
        // error name the rows.
        var (solution, info) = linalg.solve_ex(m, rhs.unsqueeze(-1));
        using (var anySingular = ScalarOps.Ne(info, 0).any())
        {
            if (anySingular.item<bool>()) throw Singular(m, info, model, velocityNames);
        }
        return solution.squeeze(-1);
    }

    static Tensor Columns(Tensor x, long batch) => x.shape[0] == batch ? x : x.expand(batch, x.shape[1]);

    static SingularMassMatrixException Singular(Tensor m, Tensor info, string model, IReadOnlyList<string> velocityNames)
    {
        using var scope = NewDisposeScope();
        var rows = ScalarOps.Ne(info, 0).nonzero().reshape(-1).to(CPU).data<long>().ToArray();
        var first = m[rows[0]].detach().to(ScalarType.Float64, CPU).reshape(-1).data<double>().ToArray();
        return Singular(first, rows, model, velocityNames);
    }

    // Names the velocities whose row of the first singular matrix is zero, and prints that matrix.
    static SingularMassMatrixException Singular(double[] first, IReadOnlyList<long> rows, string model, IReadOnlyList<string> velocityNames)
    {
        int n = velocityNames.Count;
        var zeroRows = Enumerable.Range(0, n).Where(i => Enumerable.Range(0, n).All(j => first[i * n + j] == 0.0)).Select(i => velocityNames[i]).ToList();
        var matrix = string.Join("; ", Enumerable.Range(0, n).Select(i => string.Join(", ", Enumerable.Range(0, n).Select(j => first[i * n + j].ToString("G6", CultureInfo.InvariantCulture)))));
        return new SingularMassMatrixException(model, rows, zeroRows, velocityNames, matrix);
    }

    /// <summary>
    /// The rates of one state of <paramref name="model"/> in doubles, evaluated by its batched <see cref="OdeModel.Rates"/> on
    /// one row (the generated <c>ScalarRates</c> of Lagrangian models with network terms, whose second derivatives exist
    /// only as autograd graphs). Precision is the model's dtype.
    /// </summary>
    public static double[] RatesOfOneRow(OdeModel model, double t, double[] y, double[]? inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(y);
        using var scope = NewDisposeScope();
        var saved = model.Inputs;
        try
        {
            if (model.Layout.InputSize > 0 && inputs is not null)
                model.Inputs = tensor(inputs, [1, inputs.Length], ScalarType.Float64).to(model.DType, model.Device);
            using var noGrad = no_grad();
            var rates = model.Rates(tensor(t, ScalarType.Float64).to(model.DType, model.Device),
                                    tensor(y, [1, y.Length], ScalarType.Float64).to(model.DType, model.Device));
            return rates.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        }
        finally
        {
            model.Inputs = saved;
        }
    }

    /// <summary>
    /// The right-hand side ∇qL − C q̇ − ∂²L/∂q̇∂t of the Euler–Lagrange equations of one state in doubles (the generated
    /// <c>ScalarRates</c> of Lagrangian models with Vec coordinates).
    /// </summary>
    /// <param name="force">∇qL, n entries.</param>
    /// <param name="mixed">C = ∂²L/∂q̇∂qᵀ, row-major n·n.</param>
    /// <param name="velocities">q̇, n entries.</param>
    /// <param name="timeMixed">∂²L/∂q̇∂t, n entries, or null.</param>
    public static double[] RightHandSide(double[] force, double[] mixed, double[] velocities, double[]? timeMixed)
    {
        ArgumentNullException.ThrowIfNull(force);
        ArgumentNullException.ThrowIfNull(mixed);
        ArgumentNullException.ThrowIfNull(velocities);
        int n = force.Length;
        if (mixed.Length != n * n || velocities.Length != n || timeMixed is { } tm && tm.Length != n)
            throw new ArgumentException($"Expected ∇qL and q̇ of {n} entries, C of {n * n} and ∂²L/∂q̇∂t of {n} (got {velocities.Length}, {mixed.Length}, {timeMixed?.Length}).");
        var rhs = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = force[i] - (timeMixed?[i] ?? 0.0);
            for (int j = 0; j < n; j++) sum -= mixed[i * n + j] * velocities[j];
            rhs[i] = sum;
        }
        return rhs;
    }

    /// <summary>
    /// Solves the n×n system <paramref name="mass"/> · x = <paramref name="rhs"/> in plain doubles (Gaussian elimination
    /// with partial pivoting): the scalar Euler–Lagrange accelerations of the generated <c>ScalarRates</c>.
    /// </summary>
    /// <exception cref="SingularMassMatrixException">M is exactly singular.</exception>
    public static double[] SolveScalar(double[] mass, double[] rhs, string model, IReadOnlyList<string> velocityNames)
    {
        ArgumentNullException.ThrowIfNull(mass);
        ArgumentNullException.ThrowIfNull(rhs);
        ArgumentNullException.ThrowIfNull(velocityNames);
        int n = rhs.Length;
        var a = (double[])mass.Clone();
        var x = (double[])rhs.Clone();
        for (int k = 0; k < n; k++)
        {
            int pivot = k;
            for (int i = k + 1; i < n; i++)
                if (System.Math.Abs(a[i * n + k]) > System.Math.Abs(a[pivot * n + k])) pivot = i;
            if (a[pivot * n + k] == 0.0) throw Singular(mass, [0], model, velocityNames);
            if (pivot != k)
            {
                for (int j = 0; j < n; j++) (a[k * n + j], a[pivot * n + j]) = (a[pivot * n + j], a[k * n + j]);
                (x[k], x[pivot]) = (x[pivot], x[k]);
            }
            for (int i = k + 1; i < n; i++)
            {
                double factor = a[i * n + k] / a[k * n + k];
                for (int j = k; j < n; j++) a[i * n + j] -= factor * a[k * n + j];
                x[i] -= factor * x[k];
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int j = i + 1; j < n; j++) sum -= a[i * n + j] * x[j];
            x[i] = sum / a[i * n + i];
        }
        return x;
    }
}

/// <summary>
/// The mass matrix ∂²L/∂q̇∂q̇ᵀ of a Lagrangian model is singular at some states, so the Euler–Lagrange equations do not
/// determine the accelerations there.
/// </summary>
public sealed class SingularMassMatrixException : OdeSolverException
{
    /// <summary>Creates the exception; the message names the rows, the velocities and the remedy.</summary>
    public SingularMassMatrixException(string model, IReadOnlyList<long> rows, IReadOnlyList<string> zeroRows,
                                       IReadOnlyList<string> velocityNames, string firstMatrix)
        : base(Describe(model, rows, zeroRows, velocityNames, firstMatrix))
    {
        Rows = rows;
        Velocities = zeroRows;
    }

    /// <summary>Batch rows whose mass matrix is singular.</summary>
    public IReadOnlyList<long> Rows { get; }

    /// <summary>Velocities whose row of the mass matrix is zero in the first singular batch row (empty when the rows are dependent but none is zero).</summary>
    public IReadOnlyList<string> Velocities { get; }

    static string Describe(string model, IReadOnlyList<long> rows, IReadOnlyList<string> zeroRows, IReadOnlyList<string> velocityNames, string firstMatrix)
    {
        var shown = string.Join(", ", rows.Take(5)) + (rows.Count > 5 ? $" and {rows.Count - 5} more" : "");
        var which = zeroRows.Count > 0
            ? $"the Lagrangian has no second derivative in {string.Join(", ", zeroRows.Select(v => "'" + v + "'"))} there"
            : $"its rows for {string.Join(", ", velocityNames.Select(v => "'" + v + "'"))} are linearly dependent there";
        return $"The mass matrix ∂²L/∂q̇² of {model} is singular in batch row(s) {shown} ({which}; first such matrix: [{firstMatrix}]), " +
               "so the Euler–Lagrange equations do not determine the accelerations. Give every velocity a kinetic term with a " +
               "positive coefficient (e.g. m * v * v / 2), or keep the states away from where it vanishes.";
    }
}
