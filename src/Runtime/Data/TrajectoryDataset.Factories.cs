using static TorchSharp.torch;

namespace NodeDsl.Runtime.Data;

/// <summary>Datasets from arrays and from solves (docs/training.md, "Your own data").</summary>
public sealed partial class TrajectoryDataset
{
    /// <summary>
    /// A dataset of trajectories that each have their own times: entry <c>i</c> of <paramref name="times"/>,
    /// <paramref name="values"/> (<c>[Tᵢ, nObs]</c>, NaN marks a missing value) and <paramref name="inputs"/> is
    /// trajectory <c>i</c>. Times may be irregular and lengths may differ.
    /// </summary>
    /// <param name="stateNames">Names of the observed components, in column order (the model's leading states).</param>
    /// <param name="times">Observation times per trajectory, strictly increasing.</param>
    /// <param name="values">Observed values per trajectory, <c>[Tᵢ, stateNames.Count]</c>.</param>
    /// <param name="inputNames">Names of the per-trajectory inputs; null for none.</param>
    /// <param name="inputs">Input values per trajectory, one per input name; null for none.</param>
    /// <param name="ids">Trajectory ids; null numbers them "0", "1", ….</param>
    /// <exception cref="ArgumentException">The lists differ in length, or a trajectory does not match the names (the message says which).</exception>
    public static TrajectoryDataset FromArrays(IReadOnlyList<string> stateNames, IReadOnlyList<double[]> times, IReadOnlyList<double[,]> values,
        IReadOnlyList<string>? inputNames = null, IReadOnlyList<double[]>? inputs = null, IReadOnlyList<string>? ids = null)
    {
        ArgumentNullException.ThrowIfNull(stateNames);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        int n = times.Count;
        CheckCount(values.Count, n, nameof(values), "value arrays");
        if (inputs is not null) CheckCount(inputs.Count, n, nameof(inputs), "input rows");
        if (ids is not null) CheckCount(ids.Count, n, nameof(ids), "ids");
        if (inputs is not null && inputNames is null)
            throw new ArgumentException("Inputs were given without names: pass inputNames (one per input column).", nameof(inputNames));
        var trajectories = new Trajectory[n];
        // The constructors check each trajectory (times, shapes) and that it matches the names, with messages naming it.
        for (int i = 0; i < n; i++)
            trajectories[i] = new Trajectory(ids?[i] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), times[i], values[i], inputs: inputs?[i]);
        return new TrajectoryDataset(stateNames, inputNames ?? [], trajectories);
    }

    /// <summary>
    /// A dataset of trajectories on one shared time grid, laid out as a solve returns them: <paramref name="values"/> is
    /// <c>[T, batch, nObs]</c> (row <c>b</c> is trajectory <c>b</c>) and <paramref name="inputs"/> is <c>[batch, nInputs]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree (the message gives both).</exception>
    public static TrajectoryDataset FromArrays(IReadOnlyList<string> stateNames, double[] times, double[,,] values,
        IReadOnlyList<string>? inputNames = null, double[,]? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        int steps = values.GetLength(0), batch = values.GetLength(1), observed = values.GetLength(2);
        if (steps != times.Length)
            throw new ArgumentException($"values is [{steps}, {batch}, {observed}] but there are {times.Length} times; the first dimension is time.", nameof(values));
        if (inputs is not null && inputs.GetLength(0) != batch)
            throw new ArgumentException($"inputs has {inputs.GetLength(0)} rows but values has {batch} trajectories ([T, batch, nObs]).", nameof(inputs));
        var perTrajectory = new double[batch][,];
        for (int b = 0; b < batch; b++)
        {
            perTrajectory[b] = new double[steps, observed];
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < observed; j++) perTrajectory[b][t, j] = values[t, b, j];
        }
        var rows = inputs is null ? null : Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, inputs.GetLength(1)).Select(j => inputs[b, j]).ToArray()).ToArray();
        return FromArrays(stateNames, Enumerable.Repeat(times, batch).ToArray(), perTrajectory, inputNames, rows);
    }

    /// <summary>
    /// A dataset from tensors on any device and dtype: <paramref name="times"/> <c>[T]</c> and <paramref name="values"/>
    /// <c>[T, batch, n]</c>, e.g. <c>solution.Ts</c> and <c>solution.Ys</c> of <c>Ode.Solve</c> (perhaps with noise added).
    /// The leading <c>stateNames.Count</c> components are kept: name fewer states than <c>n</c> to drop unobserved or
    /// augmented ones. <paramref name="inputs"/> is <c>[batch, nInputs]</c>, or one row <c>[1, nInputs]</c> shared by all.
    /// </summary>
    public static TrajectoryDataset FromTensors(Tensor times, Tensor values, IReadOnlyList<string> stateNames,
        Tensor? inputs = null, IReadOnlyList<string>? inputNames = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(stateNames);
        if (times.dim() != 1) throw new ArgumentException($"times must be [T], not [{string.Join(", ", times.shape)}].", nameof(times));
        if (values.dim() != 3 || values.shape[0] != times.shape[0])
            throw new ArgumentException($"values must be [T, batch, n] with T = {times.shape[0]}, not [{string.Join(", ", values.shape)}].", nameof(values));
        if (stateNames.Count == 0 || stateNames.Count > values.shape[2])
            throw new ArgumentException($"{stateNames.Count} state names for {values.shape[2]} components: name the leading 1…{values.shape[2]} components that are observed.", nameof(stateNames));
        int batch = (int)values.shape[1];
        using var scope = NewDisposeScope();
        var hostTimes = times.detach().to(ScalarType.Float64, CPU).data<double>().ToArray();
        var observed = values.detach().narrow(2, 0, stateNames.Count).to(ScalarType.Float64, CPU).contiguous();
        var flat = observed.data<double>().ToArray();
        var grid = new double[hostTimes.Length, batch, stateNames.Count];
        Buffer.BlockCopy(flat, 0, grid, 0, flat.Length * sizeof(double));
        double[,]? inputRows = null;
        if (inputs is not null)
        {
            if (inputs.dim() != 2 || (inputs.shape[0] != batch && inputs.shape[0] != 1))
                throw new ArgumentException($"inputs must be [{batch}, nInputs] or [1, nInputs], not [{string.Join(", ", inputs.shape)}].", nameof(inputs));
            var rows = inputs.detach().expand(batch, inputs.shape[1]).to(ScalarType.Float64, CPU).contiguous();
            inputRows = new double[batch, (int)inputs.shape[1]];
            Buffer.BlockCopy(rows.data<double>().ToArray(), 0, inputRows, 0, batch * (int)inputs.shape[1] * sizeof(double));
        }
        return FromArrays(stateNames, hostTimes, grid, inputNames, inputRows);
    }

    /// <summary>
    /// A dataset from a solve of a generated model: one trajectory per batch row of <c>solution.Ys</c>, named after the
    /// model's observed components (<see cref="ModelLayout.ComponentNames"/>; augmented states are dropped) and carrying
    /// the model's current <see cref="OdeModel.Inputs"/> (input components named as in <see cref="ModelLayout.Inputs"/>).
    /// </summary>
    public static TrajectoryDataset FromSolution(OdeSolution solution, OdeModel model)
    {
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(model);
        var layout = model.Layout;
        var inputNames = layout.Inputs.SelectMany(i => i.Size == 1 ? [i.Name] : Enumerable.Range(0, i.Size).Select(k => $"{i.Name}[{k}]")).ToArray();
        if (inputNames.Length > 0 && model.Inputs is null)
            throw new ArgumentException($"The model takes inputs ({string.Join(", ", inputNames)}) but model.Inputs is null; set the inputs the solve used.", nameof(model));
        return FromTensors(solution.Ts, solution.Ys, layout.ComponentNames.Take(layout.ObservedSize).ToArray(),
            inputNames.Length > 0 ? model.Inputs : null, inputNames);
    }

    static void CheckCount(int count, int expected, string parameter, string what)
    {
        if (count != expected)
            throw new ArgumentException($"There are {expected} time arrays but {count} {what}; give one per trajectory.", parameter);
    }
}
