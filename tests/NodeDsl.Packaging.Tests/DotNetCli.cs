using System.Diagnostics;
using System.Text;

namespace NodeDsl.Packaging.Tests;

/// <summary>What a finished <c>dotnet</c> command returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    /// <summary>Throws with the command's output when it failed.</summary>
    public CommandResult EnsureSuccess()
    {
        if (ExitCode != 0) throw new InvalidOperationException($"'{Command}' exited with {ExitCode}:{Environment.NewLine}{Output}");
        return this;
    }
}

/// <summary>
/// Runs the <c>dotnet</c> CLI as a user would in a shell, isolated from the test host: the variables that
/// <c>dotnet test</c> sets for its own MSBuild (and a NUGET_PACKAGES that would bypass the feed's NuGet.config) are
/// removed, and no build server outlives the command.
/// </summary>
public static class DotNetCli
{
    static readonly string[] InheritedPrefixes = ["MSBUILD", "MSBuild", "DOTNET_HOST_PATH", "NUGET_PACKAGES", "VSTEST", "TESTINGPLATFORM"];

    /// <summary>Runs <c>dotnet args…</c> in <paramref name="workingDirectory"/>; kills it (and its children) after <paramref name="timeout"/>.</summary>
    public static CommandResult Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.ToArray())
            if (InheritedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";
        // No MSBuild nodes or compiler server left running after the command (MSBuild reads variables as properties).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";

        var command = "dotnet " + string.Join(' ', args);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"'{command}' did not finish within {timeout}:{Environment.NewLine}{output}");
        }
        process.WaitForExit();   // drains the asynchronous output readers
        lock (output) return new CommandResult(command, process.ExitCode, output.ToString());
    }
}
