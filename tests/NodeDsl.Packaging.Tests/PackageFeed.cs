using System.Reflection;

namespace NodeDsl.Packaging.Tests;

/// <summary>
/// Every package of the repository, packed once into a temporary folder feed, and a workspace outside the repository
/// whose NuGet.config adds that feed to the machine's usual sources. Our packages restore into a package folder of
/// their own (so no stale copy of an earlier run can be picked up; the version is also unique per run), while
/// TorchSharp and the other dependencies are read in place from the machine's NuGet cache (a fallback folder).
/// </summary>
public sealed class PackageFeed : IDisposable
{
    static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    public PackageFeed()
    {
        RepositoryRoot = RepositoryPaths.Root;
        Root = Directory.CreateTempSubdirectory("nodedsl-packages-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Workspace = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        // A prerelease suffix unique to this run: restore can only resolve the packages just packed.
        var suffix = "pkgtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        // The solution was built in this configuration (dotnet test builds it, and this project's references build
        // the packed projects), so packing needs no second build.
        DotNetCli.Run(RepositoryRoot, PackTimeout, "pack", Path.Combine(RepositoryRoot, "NodeDsl.sln"), "-c", Configuration, "--no-build",
            "-o", Feed, "-p:VersionSuffix=" + suffix).EnsureSuccess();
        // The version is Directory.Build.props' prefix plus the suffix; read it back from a package whose id no other
        // id starts with.
        const string probe = "NodeDsl.Attributes.";
        var attributes = Path.GetFileName(Directory.GetFiles(Feed, probe + "*.nupkg").Single());
        Version = attributes[probe.Length..^".nupkg".Length];
        WriteNuGetConfig();
    }

    /// <summary>The repository checkout the packages come from (only packed here, never referenced by the consumers).</summary>
    public string RepositoryRoot { get; }
    /// <summary>Temporary folder holding the feed, the package folder and the consumer projects; deleted at the end.</summary>
    public string Root { get; }
    /// <summary>The folder feed with every .nupkg and .snupkg.</summary>
    public string Feed { get; }
    /// <summary>Parent of the consumer projects; holds the NuGet.config they all use.</summary>
    public string Workspace { get; }
    /// <summary>The version of every package in <see cref="Feed"/>.</summary>
    public string Version { get; }

    /// <summary>The configuration this test assembly (and so the solution) was built in.</summary>
    public static string Configuration =>
        typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>Path of the package <paramref name="id"/> in the feed.</summary>
    public string Package(string id, string extension = ".nupkg") => Path.Combine(Feed, $"{id}.{Version}{extension}");

    /// <summary>The machine's NuGet package folder (NUGET_PACKAGES or ~/.nuget/packages).</summary>
    public static string MachinePackageFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    void WriteNuGetConfig()
    {
        var fallback = Directory.Exists(MachinePackageFolder)
            ? $"""
                <fallbackPackageFolders>
                  <add key="machine" value="{MachinePackageFolder}" />
                </fallbackPackageFolders>
              """
            : "";
        // No <clear/>: the machine's own sources (user and machine NuGet.config) stay, as for any project.
        File.WriteAllText(Path.Combine(Workspace, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
              <packageSources>
                <add key="nodedsl-under-test" value="{Feed}" />
              </packageSources>
            {fallback}
            </configuration>
            """);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }   // a leftover temp folder must not fail the run
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The tests that use the feed run one after another and share one pack.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "packages";
}
