namespace NodeDsl.Runtime.Training;

/// <summary>
/// Atomic file replacement for checkpoints and weight files, and the clean-up of what interrupted writes leave behind.
/// </summary>
/// <remarks>
/// A write goes to <c>.NAME.&lt;32 hex digits&gt;.tmp</c> in the target's folder (same file system, so the final rename is
/// atomic), held open exclusively while it is written. A process killed mid-write leaves that file; the next write or
/// load of <c>NAME</c> deletes it once it is stale: no writer holds it open, and it was last written more than
/// <see cref="StaleAfter"/> ago (a writer between closing its file and renaming it does not hold it open).
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Age after which an unlocked temporary file can no longer belong to a write in progress.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    const int GuidDigits = 32;
    const string Suffix = ".tmp";

    /// <summary>
    /// Creates <paramref name="path"/> atomically: <paramref name="write"/> fills a temporary file in the same folder,
    /// which is flushed to disk and renamed over the target; if anything throws, the temporary file is deleted and the
    /// target is untouched. Stale temporary files of earlier, interrupted writes of the same target are deleted first.
    /// </summary>
    public static void Write(string path, Action<FileStream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        RemoveStaleTemporaries(full);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{Suffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the stale temporary files that interrupted writes of <paramref name="path"/> left in its folder (exactly
    /// <c>.NAME.&lt;32 lowercase hex digits&gt;.tmp</c>; nothing else is touched). Failures to delete are ignored.
    /// </summary>
    /// <returns>The number of files deleted.</returns>
    public static int RemoveStaleTemporaries(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        if (folder is null || name.Length == 0 || !Directory.Exists(folder)) return 0;
        int removed = 0;
        try
        {
            foreach (var candidate in Directory.EnumerateFiles(folder, "*" + Suffix))
                if (IsTemporaryOf(Path.GetFileName(candidate), name) && IsOld(candidate) && TryDeleteUnlocked(candidate)) removed++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return removed;
    }

    /// <summary>True for exactly <c>.{name}.{32 lowercase hex digits}.tmp</c>, the names <see cref="Write"/> uses.</summary>
    internal static bool IsTemporaryOf(string file, string name)
    {
        int guidStart = name.Length + 2;
        if (file.Length != guidStart + GuidDigits + Suffix.Length || file[0] != '.' || file[guidStart - 1] != '.') return false;
        if (!file.AsSpan(1, name.Length).SequenceEqual(name) || !file.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        foreach (char c in file.AsSpan(guidStart, GuidDigits))
            if (!char.IsAsciiHexDigitLower(c)) return false;   // Guid "N" format: 0-9, a-f
        return true;
    }

    static bool IsOld(string file) => File.GetLastWriteTimeUtc(file) < DateTime.UtcNow - StaleAfter;

    // A writer holds its temporary file with FileShare.None (an exclusive lock on Unix too), so opening it the same way
    // fails while the write is in progress; opened, it is deleted when the handle closes.
    static bool TryDeleteUnlocked(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
