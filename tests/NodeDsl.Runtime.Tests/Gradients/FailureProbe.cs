using System.Diagnostics;

namespace NodeDsl.Runtime.Tests.Gradients;

/// <summary>
/// Runs tests/NodeDsl.FailureProbe as a child process: a failure that escaped into libtorch's native frames would end the
/// process it happens in, so the scenarios cannot run inside the test host.
/// </summary>
internal static class FailureProbe
{
    /// <summary>Runs one scenario; returns the exit code and stdout + stderr. Fails the test if it runs past <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output) Run(string scenario, string surfacing, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path(), scenario, surfacing }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the failure probe.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"The failure probe ran longer than {timeout.TotalSeconds} s on '{scenario} {surfacing}': {stdout.Result}{stderr.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The probe's assembly: built beside this one (artifacts/bin/&lt;project&gt;/&lt;configuration&gt;/) by the project reference.</summary>
    static string Path()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var path = System.IO.Path.Combine(here.Parent!.Parent!.FullName, "NodeDsl.FailureProbe", here.Name, "NodeDsl.FailureProbe.dll");
        Assert.True(File.Exists(path), $"The failure probe is not built at {path}: build tests/NodeDsl.Runtime.Tests (it references tests/NodeDsl.FailureProbe).");
        return path;
    }
}
