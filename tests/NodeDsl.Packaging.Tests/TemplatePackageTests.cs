using Xunit.Abstractions;

namespace NodeDsl.Packaging.Tests;

/// <summary><c>dotnet new nodedsl-model</c> from the template package: the scaffolded tests build and pass.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class TemplatePackageTests(PackageFeed feed, ITestOutputHelper log)
{
    static readonly TimeSpan Step = TimeSpan.FromMinutes(8);

    [Fact]
    public void ScaffoldedProjectBuildsAndItsTestsPass()
    {
        // A template hive of its own: nothing is installed into the user's dotnet new.
        var hive = Path.Combine(feed.Root, "template-hive");
        DotNetCli.Run(feed.Workspace, Step, "new", "install", feed.Package("NodeDsl.Templates"), "--debug:custom-hive", hive).EnsureSuccess();
        var folder = Path.Combine(feed.Workspace, "Pendulum");
        DotNetCli.Run(feed.Workspace, Step, "new", "nodedsl-model", "-n", "Pendulum", "-o", folder, "--debug:custom-hive", hive).EnsureSuccess();

        Assert.True(File.Exists(Path.Combine(folder, "Pendulum", "Pendulum.csproj")));
        Assert.Contains($"Version=\"{feed.Version}\"", File.ReadAllText(Path.Combine(folder, "Pendulum", "Pendulum.csproj")));
        var test = DotNetCli.Run(folder, Step, "test", Path.Combine(folder, "Pendulum.Tests"), "-c", PackageFeed.Configuration);
        log.WriteLine(test.Output);
        test.EnsureSuccess();
        Assert.Contains("Passed!", test.Output);
        Assert.Matches(@"Passed:\s+2\b", test.Output);      // both scaffolded tests ran
    }
}
