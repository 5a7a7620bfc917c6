using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace NodeDsl.Runtime.Tests.Core;

/// <summary>
/// Runs one static method of this test assembly in a child process (<c>dotnet NodeDsl.Runtime.Tests.dll</c> with an
/// environment variable naming the method), for code that may end the process: a native abort inside TorchSharp
/// cannot be caught, so the test asserts on the child's exit code and output instead of dying with it.
/// </summary>
internal static class ChildProcess
{
    const string Variable = "NODEDSL_TEST_CHILD_SCENARIO";

    /// <summary>Exit code, standard output and standard error of a finished child.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="scenario"/> (a static method) in a child process and waits for it.</summary>
    public static Result Run(Action scenario, int timeoutSeconds = 120)
    {
        var method = scenario.Method;
        if (scenario.Target is not null || !method.IsStatic) throw new ArgumentException("Pass a static method.", nameof(scenario));
        // The dotnet CLI tells its children where the host is; a plain "dotnet" on the PATH otherwise.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.Environment[Variable] = $"{method.DeclaringType!.FullName}|{method.Name}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The child running {method.Name} did not finish within {timeoutSeconds} s.");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>In a child started by <see cref="Run"/>, runs the named scenario before Main and exits (0, or 3 after an exception).</summary>
    [ModuleInitializer]
    internal static void RunScenarioInChild()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } target) return;
        Environment.SetEnvironmentVariable(Variable, null);
        int code = 0;
        try
        {
            var parts = target.Split('|');
            var type = typeof(ChildProcess).Assembly.GetType(parts[0], throwOnError: true)!;
            var method = type.GetMethod(parts[1], BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                ?? throw new MissingMethodException(parts[0], parts[1]);
            method.Invoke(null, null);
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } cause } ? cause : e;
            Console.Error.WriteLine($"{inner.GetType().FullName}: {inner.Message}");
            code = 3;
        }
        Console.Out.Flush();
        Environment.Exit(code);
    }
}
