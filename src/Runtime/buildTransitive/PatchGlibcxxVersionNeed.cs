// MSBuild inline task (compiled by RoslynCodeTaskFactory). See NodeDsl.Runtime.targets beside it for why.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchGlibcxxVersionNeed : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;
    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";
    /// <summary>"auto": patch only when the host's libstdc++ lacks <see cref="VersionName"/>; "true": always.</summary>
    [Required] public string Mode { get; set; } = "auto";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var targets = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (targets.Length == 0) return true;
        if (Mode != "true" && HostProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, $"Host libstdc++ provides {VersionName}; TorchSharp native left as shipped.");
            return true;
        }
        foreach (var path in targets)
        {
            try { PatchFile(path); }
            catch (Exception e)
            {
                Log.LogError($"NodeDsl: could not patch '{path}' so TorchSharp loads on this host: {e.Message}");
                return false;
            }
        }
        return true;
    }

    bool HostProvides(string version)
    {
        foreach (var candidate in LibStdCxxCandidates)
        {
            if (!File.Exists(candidate)) continue;
            var text = Encoding.ASCII.GetString(File.ReadAllBytes(candidate));
            return text.Contains(version + "\0");
        }
        // No libstdc++ found where we look (e.g. macOS): nothing to fix.
        return true;
    }

    void PatchFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int changed = MarkVersionNeedWeak(bytes, VersionName, out bool alreadyWeak);
        if (changed == 0)
        {
            if (!alreadyWeak) Log.LogMessage(MessageImportance.Low, $"{path}: no version need named {VersionName}.");
            return;
        }
        // Write-then-rename: never modifies the inode the output file may share with the NuGet cache.
        var temp = path + ".nodedsl-patch.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Delete(path);
        File.Move(temp, path);
        Log.LogMessage(MessageImportance.High, $"NodeDsl: marked {VersionName} weak in {path} (host libstdc++ lacks it).");
    }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="name"/>; returns how many changed.</summary>
    static int MarkVersionNeedWeak(byte[] elf, string name, out bool alreadyWeak)
    {
        alreadyWeak = false;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2) throw new InvalidDataException("not a 64-bit ELF file");
        if (elf[5] != 1) throw new InvalidDataException("not a little-endian ELF file");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            uint type = BitConverter.ToUInt32(elf, sh + 4);
            if (type != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            uint link = BitConverter.ToUInt32(elf, sh + 0x28);       // index of the string table section
            uint count = BitConverter.ToUInt32(elf, sh + 0x2C);      // sh_info = number of Verneed entries
            int strSh = checked((int)shoff + (int)link * shentsize);
            int strOffset = checked((int)BitConverter.ToUInt64(elf, strSh + 0x18));

            int need = offset;
            for (uint n = 0; n < count; n++)
            {
                ushort auxCount = BitConverter.ToUInt16(elf, need + 2);
                uint auxOffset = BitConverter.ToUInt32(elf, need + 8);
                uint next = BitConverter.ToUInt32(elf, need + 12);
                int aux = need + (int)auxOffset;
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    uint nameOffset = BitConverter.ToUInt32(elf, aux + 8);
                    uint auxNext = BitConverter.ToUInt32(elf, aux + 12);
                    if (ReadCString(elf, strOffset + (int)nameOffset) == name)
                    {
                        if ((flags & VerFlgWeak) != 0) alreadyWeak = true;
                        else
                        {
                            var patched = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                            elf[aux + 4] = patched[0];
                            elf[aux + 5] = patched[1];
                            changed++;
                        }
                    }
                    if (auxNext == 0) break;
                    aux += (int)auxNext;
                }
                if (next == 0) break;
                need += (int)next;
            }
        }
        return changed;
    }

    static string ReadCString(byte[] data, int start)
    {
        int end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, start, end - start);
    }
}
