using SystemIdentification;

namespace NodeDsl.Examples.Tests;

/// <summary>A small run of the system-identification example: the linear map must approach A.</summary>
public sealed class SystemIdentificationExampleTests
{
    [Fact]
    public void QuickRunRecoversTheMatrixAndReducesBothLosses()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nodedsl-sysid-" + Guid.NewGuid().ToString("N"));
        try
        {
            var m = SystemIdentificationExperiment.Run(SystemIdentificationOptions.Quick(dir));

            // ‖Â − A‖_F starts at ‖A‖_F ≈ 1.42 (Â = 0); a quick run (150 epochs) must get within 0.5 of A.
            Assert.True(m.MatrixError < 0.5, $"‖Â − A‖_F = {m.MatrixError}");
            Assert.True(m.Linear.FinalLoss < m.Linear.InitialLoss / 10, $"linear loss {m.Linear.InitialLoss} → {m.Linear.FinalLoss}");
            Assert.True(m.Node.FinalLoss < m.Node.InitialLoss / 2, $"NODE loss {m.Node.InitialLoss} → {m.Node.FinalLoss}");
            Assert.True(File.Exists(Path.Combine(dir, "results.csv")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
