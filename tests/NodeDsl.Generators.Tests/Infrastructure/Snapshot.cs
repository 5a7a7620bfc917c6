using System.Runtime.CompilerServices;

namespace NodeDsl.Generators.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Verify (not restorable here), with its conventions: <c>{File}.{Name}.verified.cs</c> is
/// committed next to the test; on a mismatch <c>{File}.{Name}.received.cs</c> is written (git-ignored) and the test
/// fails; nothing is ever accepted automatically when <c>CI=true</c>. Without CI, a missing verified file is
/// created and the test fails once, asking for a review of the new file.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
    {
        var directory = Path.GetDirectoryName(testFile)!;
        var stem = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(testFile)}.{name}");
        var verifiedPath = stem + ".verified.cs";
        var receivedPath = stem + ".received.cs";
        var normalized = Normalize(actual);
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        if (!File.Exists(verifiedPath))
        {
            if (ci)
            {
                File.WriteAllText(receivedPath, normalized);
                Assert.Fail($"No verified snapshot {verifiedPath}. Run the tests locally (without CI=true), review and commit the file.");
            }
            File.WriteAllText(verifiedPath, normalized);
            Assert.Fail($"Created the snapshot {verifiedPath}; review it, commit it, and run the tests again.");
        }
        var verified = Normalize(File.ReadAllText(verifiedPath));
        if (verified == normalized)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, normalized);
        Assert.Fail($"Generated code differs from {verifiedPath} ({FirstDifference(verified, normalized)}). " +
                    $"Compare it with {receivedPath}; if the change is intended, replace the verified file with the received one.");
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (int i = 0; i < System.Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<end>";
            var y = i < b.Length ? b[i] : "<end>";
            if (x != y) return $"first difference at line {i + 1}: expected '{x.Trim()}', got '{y.Trim()}'";
        }
        return "same lines";
    }
}
