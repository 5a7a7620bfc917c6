using System.Reflection;
using NodeDsl.Numerics;
using NodeDsl.Prediction;
using NodeDsl.Prediction.Format;
using static TorchSharp.torch;

namespace NodeDsl.Runtime.Tests.Export;

/// <summary>
/// NodeDsl.Prediction holds what prediction without libtorch shares with the runtime (the weight-file format, option
/// rules, range checks, explicit tableaus and step control): it must never reach TorchSharp, and where it mirrors a
/// TorchSharp or runtime definition, the two must agree.
/// </summary>
public class PredictionAssemblyTests
{
    [Fact]
    public void PredictionAndEverythingItReferencesAreFreeOfTorchSharpAndTheRuntime()
    {
        var seen = new HashSet<string>();
        var pending = new Queue<Assembly>([typeof(NativeSurrogate<>).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                Assert.False(name.Name!.StartsWith("TorchSharp", StringComparison.Ordinal), $"{assembly.GetName().Name} references {name.Name}");
                Assert.NotEqual("NodeDsl.Runtime", name.Name);
                // Follow NodeDsl's own assemblies (the framework's are TorchSharp-free by construction).
                if (name.Name.StartsWith("NodeDsl", StringComparison.Ordinal) && seen.Add(name.Name)) pending.Enqueue(Assembly.Load(name));
            }
        }
        Assert.Equal(["NodeDsl", "NodeDsl.Numerics"], seen.Order());
    }

    [Fact]
    public void StoredDTypesHaveTorchSharpsNamesAndCodes()
    {
        // The file stores dtype codes and names; the format reads them without TorchSharp, so both enums must agree.
        foreach (var stored in Enum.GetValues<StoredDType>())
            Assert.Equal(stored.ToString(), ((ScalarType)(int)stored).ToString());
        // And every TorchSharp dtype a parameter can have (one with an element size) is storable.
        foreach (var dtype in new[] { ScalarType.Byte, ScalarType.Int8, ScalarType.Int16, ScalarType.Int32, ScalarType.Int64, ScalarType.Float16,
                                      ScalarType.BFloat16, ScalarType.Float32, ScalarType.Float64, ScalarType.ComplexFloat32, ScalarType.ComplexFloat64, ScalarType.Bool })
            Assert.NotNull(TensorSpec.Parse(dtype.ToString()));
    }

    [Fact]
    public void TheWeightRulesStepBudgetIsTheSolversDefault()
    {
        // WeightMetadataRules bounds 'stepSize' by IntegrationSettings' MaxSteps, standing for SolverOptions'.
        Assert.Equal(new SolverOptions().MaxSteps, new IntegrationSettings().MaxSteps);
    }

    [Fact]
    public void TheNativeTableausAreTheRuntimeSolversTableaus()
    {
        Assert.Equal(["euler", "midpoint", "heun", "rk4", "rk38", "bosh3", "dopri5", "tsit5"], NativeSolvers.Names);
        foreach (var name in NativeSolvers.Names)
        {
            var runtime = Assert.IsType<IStepLoopSolver>(NodeDsl.Runtime.Solvers.ByName(name), exactMatch: false).PlainTableau;
            var native = NativeSolvers.TableauOf(name.ToUpperInvariant());
            Assert.NotNull(runtime);
            Assert.NotNull(native);
            Assert.Equal(runtime.C, native.C);
            Assert.Equal(runtime.B, native.B);
            Assert.Equal(runtime.ErrorWeights, native.ErrorWeights);
        }
        Assert.Null(NativeSolvers.TableauOf("dopri8"));
        Assert.Null(NativeSolvers.TableauOf("radau5"));
    }

    [Fact]
    public void ThePIStepControlDecidesAsTheRuntimesDefaultPIController()
    {
        // One formula, two callers: the same sequence of error norms gives the same decisions and steps.
        var runtime = new PIController();
        var memory = default(ControllerMemory);
        var native = new PIStepControl(errorOrder: 4);
        double h = 0.1;
        foreach (var norm in new[] { 0.5, 2.0, 3.0, 0.8, 0.0, 0.3, double.NaN, 0.9 })
        {
            var decision = runtime.Decide(h, norm, 4, ref memory);
            bool accept = native.Decide(h, norm, out double next);
            Assert.Equal((decision.Accept, decision.NextStepMagnitude), (accept, next));
            h = next;
        }
    }
}
