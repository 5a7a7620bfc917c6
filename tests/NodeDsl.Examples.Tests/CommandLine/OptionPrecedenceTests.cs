using AnchoredEnsembles;
using AugmentedNode;
using HamiltonianNN;
using LatentOdeSpirals;
using LotkaVolterraUde;
using ParametrizedSurrogate;
using SolverComparison;
using Spiral;
using SurrogateExport;
using SystemIdentification;

namespace NodeDsl.Examples.Tests.CommandLine;

/// <summary>
/// The documented precedence (README, examples/Shared/ExampleCommand.cs): <c>--quick</c> fills in the short preset for
/// what the user did not give, an explicit option wins wherever it stands, and <c>--quick</c> shortens training without
/// skipping a part of the example (except where its help says so).
/// </summary>
public sealed class OptionPrecedenceTests
{
    [Theory]
    [InlineData("--epochs", "5", "--quick")]
    [InlineData("--quick", "--epochs", "5")]
    public void AnExplicitEpochCountWinsOverQuickBeforeOrAfterIt(params string[] args)
    {
        Assert.Equal(5, SpiralCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, SystemIdentificationCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, ComparisonCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, UdeCommandLine.Command.Parse(args).AdamEpochs);
        Assert.Equal(5, AugmentedNodeCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, SurrogateCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, EnsembleCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, ExportCommandLine.Command.Parse(args).Epochs);
        Assert.Equal(5, LatentOdeCommandLine.Command.Parse(args).Epochs);
    }

    [Fact]
    public void QuickTakesItsPresetForWhatWasNotGivenAndKeepsWhatWas()
    {
        var o = ComparisonCommandLine.Command.Parse("--output", "here", "--seed", "9", "--solvers", "rk4,dopri5", "--quick", "--lr", "0.5");
        var quick = ComparisonOptions.Quick("x");
        Assert.Equal((quick.Epochs, quick.BatchSize), (o.Epochs, o.BatchSize));            // from --quick
        Assert.Equal((9L, 0.5), (o.Seed, o.LearningRate));                                 // given: kept
        Assert.Equal(["rk4", "dopri5"], o.Solvers);
        Assert.Equal(Path.GetFullPath("here"), o.OutputDirectory);

        var h = HnnCommandLine.Command.Parse("--task", "pendulum", "--quick");
        Assert.Equal(["pendulum"], h.Tasks);
        Assert.Equal(HnnOptions.Quick("x").Steps, h.Steps);
        Assert.Equal(500, HnnCommandLine.Command.Parse("--quick", "--steps", "500").Steps);
    }

    [Fact]
    public void WithoutOptionsEveryExampleTakesItsFullRunAndItsDefaultFolder()
    {
        Assert.Equal(new SpiralOptions().Epochs, SpiralCommandLine.Command.Parse().Epochs);
        Assert.Equal(new UdeExperimentOptions().AdamEpochs, UdeCommandLine.Command.Parse().AdamEpochs);
        Assert.Equal(new HnnOptions().Steps, HnnCommandLine.Command.Parse().Steps);
        Assert.Equal(Path.GetFullPath(Path.Combine("out", "spiral")), SpiralCommandLine.Command.Parse().OutputDirectory);
        Assert.Equal(Path.GetFullPath(Path.Combine("out", "lotka-volterra-ude")), UdeCommandLine.Command.Parse().OutputDirectory);
        Assert.Equal(Path.GetFullPath(Path.Combine("out", "anchored-ensembles")), EnsembleCommandLine.Command.Parse().OutputDirectory);
    }

    [Fact]
    public void QuickShortensTrainingAndRunsEveryPart()
    {
        var spiral = SpiralCommandLine.Command.Parse("--quick");
        Assert.True(spiral.SolverTable, "--quick must not skip the spiral's solver table (--no-solvers does)");
        Assert.True(spiral.Epochs < new SpiralOptions().Epochs);
        Assert.False(SpiralCommandLine.Command.Parse("--quick", "--no-solvers").SolverTable);

        var comparison = ComparisonCommandLine.Command.Parse("--quick");
        var full = new ComparisonOptions();
        Assert.Equal(full.Solvers, comparison.Solvers);
        Assert.Equal(full.Gradients, comparison.Gradients);
        Assert.Equal(full.Spacings, comparison.Spacings);
        Assert.Equal(3, ComparisonCommandLine.Command.Parse("--checkpointed", "--quick").Gradients.Count);

        var hnn = HnnCommandLine.Command.Parse("--quick");
        Assert.Equal(new HnnOptions().Tasks, hnn.Tasks);
        Assert.Equal(new HnnOptions().DriftSolvers, hnn.DriftSolvers);

        var ensembles = EnsembleCommandLine.Command.Parse("--quick");
        Assert.Equal(new ExperimentOptions().EnsembleSizes, ensembles.EnsembleSizes);
        Assert.Equal(new ExperimentOptions().PriorVariances, ensembles.PriorVariances);

        Assert.Equal(new AugmentedNodeOptions().AugmentedSizes, AugmentedNodeCommandLine.Command.Parse("--quick").AugmentedSizes);
        Assert.Equal(new SurrogateOptions().InterpolationViscosities, SurrogateCommandLine.Command.Parse("--quick").InterpolationViscosities);
        Assert.True(UdeCommandLine.Command.Parse("--quick").LbfgsEpochs > 0, "--quick keeps the L-BFGS phase");
    }

    [Fact]
    public void AQuickExportKeepsItsWeightsOutOfTheLibraryUnlessToldOtherwise()
    {
        // Documented in --quick's help: a quickly trained model must not replace the weights the library embeds.
        var quick = ExportCommandLine.Command.Parse("--quick", "--output", "run");
        Assert.Equal(Path.GetFullPath(Path.Combine("run", ExportCommandLine.QuickWeightsFile)), quick.WeightsPath);
        Assert.Null(ExportCommandLine.Command.Parse().WeightsPath);   // full run: the library's file
        Assert.Equal(Path.GetFullPath("w.nodew"), ExportCommandLine.Command.Parse("--weights", "w.nodew", "--quick").WeightsPath);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs takes a whole number of at least 1, not '0'")]
    [InlineData("--epochs", "many", "--epochs takes a whole number of at least 1, not 'many'")]
    [InlineData("--lr", "-1", "--lr takes a finite number greater than 0, not '-1'")]
    [InlineData("--window", "1", "--window takes a whole number of at least 2, not '1'")]
    public void ABadValueIsRejectedWithAMessageThatNamesTheOption(string option, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SpiralCommandLine.Command.Parse(option, value));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ChoicesAndSolverNamesAreChecked()
    {
        Assert.Contains("pendul", Assert.Throws<ArgumentException>(() => HnnCommandLine.Command.Parse("--task", "pendel")).Message);
        Assert.Contains("--solvers", Assert.Throws<ArgumentException>(() => ComparisonCommandLine.Command.Parse("--solvers", "rk4,nosuch")).Message);
        Assert.Equal([Spacing.Irregular], ComparisonCommandLine.Command.Parse("--spacing", "irregular").Spacings);
        Assert.Contains("--observed takes at most 100", Assert.Throws<ArgumentException>(() => LatentOdeCommandLine.Command.Parse("--observed", "101")).Message);
        Assert.Equal(100, LatentOdeCommandLine.Command.Parse("--observed", "100", "--quick").Observed);
        Assert.Equal([Cnf.ToyDensity.Checkerboard], Cnf.CnfCommandLine.Command.Parse("--quick", "--data", "checkerboard").Densities);
        Assert.Equal(3, Cnf.CnfCommandLine.Command.Parse().Densities.Count);
        Assert.Equal(7, Cnf.CnfCommandLine.Command.Parse("--iterations", "7", "--quick").Iterations);
    }
}
