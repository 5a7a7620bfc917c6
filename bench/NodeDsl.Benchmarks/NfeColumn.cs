using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NodeDsl.Runtime;

namespace NodeDsl.Benchmarks;

/// <summary>A summary column with the number of function evaluations of the benchmarked solve.</summary>
public sealed class NfeColumn : IColumn
{
    public string Id => nameof(NfeColumn);
    public string ColumnName => "NFE";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Function evaluations of one solve";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var solver = benchmarkCase.Parameters["Solver"] as string;
        var dtype = benchmarkCase.Parameters["DType"] as string;
        if (solver is null || dtype is null) return "-";
        var (system, y0, ts, method, options) = SpiralCase.Create(solver, dtype);
        return Ode.Solve(system, y0, ts, method, options).Stats.FunctionEvaluations.ToString();
    }
}
