namespace NodeDsl.Packaging.Tests;

/// <summary>
/// A console project made the way the README's Install section says: <c>dotnet new console</c> in a folder outside
/// the repository, <c>dotnet add package</c> by name, then the user's own source files.
/// </summary>
public sealed class ConsumerProject
{
    static readonly TimeSpan Step = TimeSpan.FromMinutes(8);
    ConsumerProject(PackageFeed feed, string name)
    {
        Name = name;
        Folder = Path.Combine(feed.Workspace, name);
    }

    /// <summary>Project (and assembly) name.</summary>
    public string Name { get; }
    /// <summary>The project folder.</summary>
    public string Folder { get; }
    /// <summary>The build output folder of <see cref="PackageFeed.Configuration"/>.</summary>
    public string OutputFolder => Path.Combine(Folder, "bin", PackageFeed.Configuration, "net10.0");

    /// <summary>Creates the project and adds <paramref name="packages"/> (all of the feed's version).</summary>
    public static ConsumerProject Create(PackageFeed feed, string name, params string[] packages)
    {
        var project = new ConsumerProject(feed, name);
        DotNetCli.Run(feed.Workspace, Step, "new", "console", "-n", name, "-o", project.Folder, "--no-restore").EnsureSuccess();
        foreach (var package in packages)
            DotNetCli.Run(project.Folder, Step, "add", "package", package, "--version", feed.Version).EnsureSuccess();
        return project;
    }

    /// <summary>Replaces the template's Program.cs with the files of Consumers/<paramref name="source"/> (test data).</summary>
    public ConsumerProject WithSources(string source)
    {
        File.Delete(Path.Combine(Folder, "Program.cs"));
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Consumers", source)))
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)), overwrite: true);
        return this;
    }

    /// <summary><c>dotnet run</c>: builds and runs the app.</summary>
    public CommandResult Run() => DotNetCli.Run(Folder, Step, "run", "-c", PackageFeed.Configuration);

    /// <summary><c>dotnet build</c> with extra MSBuild arguments.</summary>
    public CommandResult Build(params string[] arguments) => DotNetCli.Run(Folder, Step, ["build", "-c", PackageFeed.Configuration, .. arguments]);

    /// <summary>Runs the built app without building (<c>dotnet bin/…/Name.dll</c>).</summary>
    public CommandResult RunBuilt() => DotNetCli.Run(Folder, Step, Path.Combine(OutputFolder, Name + ".dll"));

    /// <summary>Total size of <see cref="OutputFolder"/> in bytes.</summary>
    public long OutputBytes() => Directory.GetFiles(OutputFolder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>File names (not paths) under <see cref="OutputFolder"/>.</summary>
    public string[] OutputFileNames() => [.. Directory.GetFiles(OutputFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName)!];
}
