using System.Diagnostics;

namespace NodeDsl.Runtime.Tests.Build;

/// <summary>
/// The compiler rewrites obj/*.dll in place. If an output folder hard-linked that file, every rebuild would change
/// the assembly under a running example or test host (it crashed with BadImageFormatException / AccessViolation).
/// Directory.Build.props therefore copies a project's own assembly to bin/; this checks the result on disk.
/// </summary>
public class BuildOutputTests
{
    [Fact]
    public void CompilerOutputOfTheRuntimeIsNotSharedWithAnyOutputFolder()
    {
        if (!OperatingSystem.IsLinux()) return; // hard links and in-place rewrites are the Linux build's concern here
        var loaded = typeof(Devices).Assembly.Location;
        var configuration = Path.GetFileName(Path.GetDirectoryName(loaded))!;          // release or debug
        var artifacts = FindAncestor(Path.GetDirectoryName(loaded)!, "artifacts");
        var compilerOutput = Path.Combine(artifacts, "obj", "NodeDsl.Runtime", configuration, "NodeDsl.Runtime.dll");
        Assert.True(File.Exists(compilerOutput), $"expected the compiler's output at {compilerOutput}");

        // A tree built before Directory.Build.props stopped linking keeps its links (the copy is skipped as unchanged).
        Assert.True(LinkCount(compilerOutput) == 1,
            $"{compilerOutput} has {LinkCount(compilerOutput)} hard links: an output folder shares the compiler's file. " +
            "Delete artifacts/bin (and output folders copied from it by hard link before) and build again.");
        Assert.NotEqual(Inode(compilerOutput), Inode(loaded));
    }

    private static string FindAncestor(string directory, string name)
    {
        for (var d = new DirectoryInfo(directory); d != null; d = d.Parent)
            if (d.Name == name) return d.FullName;
        throw new InvalidOperationException($"{directory} is not under an '{name}' folder (UseArtifactsOutput)");
    }

    private static long LinkCount(string path) => long.Parse(Stat("%h", path));
    private static long Inode(string path) => long.Parse(Stat("%i", path));

    private static string Stat(string format, string path)
    {
        var info = new ProcessStartInfo("stat", ["-L", "-c", format, path]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
