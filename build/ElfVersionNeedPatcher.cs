// Compiled twice: as an MSBuild inline task (see TorchSharpNative.targets) and into the build tests.
// TorchSharp 0.107.0's libLibTorchSharp.so asks libstdc++ for GLIBCXX_3.4.32 only because of
// std::ios_base_library_init, which it never calls. Older libstdc++ (Debian 12) lacks that version,
// so the loader refuses the library. Renaming that one version-needed entry to GLIBCXX_3.4 makes the
// loader accept it; the symbol stays unresolved and, being unused, is never bound.
using System;
using System.IO;
using System.Text;

namespace AttributionExplorer.Build
{
    public enum PatchOutcome { Patched, NotNeeded, Failed }

    public sealed class PatchResult
    {
        public PatchResult(PatchOutcome outcome, string message) { Outcome = outcome; Message = message; }
        public PatchOutcome Outcome { get; }
        public string Message { get; }
    }

    public static class ElfVersionNeedPatcher
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Rewrites, in place, the version-needed entry <paramref name="from"/> of <paramref name="library"/>
        /// to point at the existing entry name <paramref name="to"/> (string offset and ELF hash).</summary>
        public static PatchResult Patch(byte[] elf, string library, string from, string to)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                return new PatchResult(PatchOutcome.Failed, "not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                return new PatchResult(PatchOutcome.Failed, "only 64-bit little-endian ELF is supported");

            long shoff = (long)ReadU64(elf, 0x28);
            int shentsize = ReadU16(elf, 0x3A);
            int shnum = ReadU16(elf, 0x3C);
            if (shoff <= 0 || shentsize < 64 || shoff + (long)shentsize * shnum > elf.Length)
                return new PatchResult(PatchOutcome.Failed, "section header table out of range");

            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (ReadU32(elf, sh + 4) != ShtGnuVerneed) continue;
                long verneedOffset = (long)ReadU64(elf, sh + 0x18);
                int dynstrIndex = (int)ReadU32(elf, sh + 0x28);
                uint entries = ReadU32(elf, sh + 0x2C);
                if (dynstrIndex >= shnum) return new PatchResult(PatchOutcome.Failed, ".gnu.version_r links to a missing string table");
                long dynstr = (long)ReadU64(elf, shoff + (long)dynstrIndex * shentsize + 0x18);
                return PatchVerneed(elf, verneedOffset, entries, dynstr, library, from, to);
            }
            return new PatchResult(PatchOutcome.NotNeeded, "no .gnu.version_r section");
        }

        private static PatchResult PatchVerneed(byte[] elf, long verneed, uint entries, long dynstr, string library, string from, string to)
        {
            long vn = verneed;
            for (uint e = 0; e < entries; e++)
            {
                int count = ReadU16(elf, vn + 2);
                string file = ReadCString(elf, dynstr + ReadU32(elf, vn + 4));
                if (file == library)
                {
                    long fromAux = -1;
                    uint toName = uint.MaxValue;
                    long aux = vn + ReadU32(elf, vn + 8);
                    for (int a = 0; a < count; a++)
                    {
                        uint nameOffset = ReadU32(elf, aux + 8);
                        string name = ReadCString(elf, dynstr + nameOffset);
                        if (name == from) fromAux = aux;
                        if (name == to) toName = nameOffset;
                        uint next = ReadU32(elf, aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    if (fromAux < 0) return new PatchResult(PatchOutcome.NotNeeded, $"{library} is not asked for {from}");
                    if (toName == uint.MaxValue) return new PatchResult(PatchOutcome.Failed, $"{library} has no {to} entry to reuse");
                    WriteU32(elf, fromAux, ElfHash(to));
                    WriteU32(elf, fromAux + 8, toName);
                    return new PatchResult(PatchOutcome.Patched, $"{from} -> {to}");
                }
                uint nextVn = ReadU32(elf, vn + 12);
                if (nextVn == 0) break;
                vn += nextVn;
            }
            return new PatchResult(PatchOutcome.NotNeeded, $"{library} is not a needed library");
        }

        /// <summary>True when the libstdc++ at <paramref name="libstdcxxPath"/> defines version <paramref name="version"/>.</summary>
        public static bool LibraryDefinesVersion(string libstdcxxPath, string version)
        {
            byte[] bytes = File.ReadAllBytes(libstdcxxPath);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle) >= 0;
        }

        /// <summary>The system's libstdc++.so.6, or null where there is none (not Linux, or a static runtime).</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (var c in candidates) if (File.Exists(c)) return c;
            return null;
        }

        /// <summary>Patches the file at <paramref name="path"/> when the system lacks <paramref name="from"/>.
        /// Writes through a temporary file so a crash never leaves a half-written library.</summary>
        public static PatchResult PatchFileIfSystemLacks(string path, string? systemLibStdCxx, string from = "GLIBCXX_3.4.32", string to = "GLIBCXX_3.4")
        {
            if (systemLibStdCxx is null) return new PatchResult(PatchOutcome.NotNeeded, "no system libstdc++ found");
            if (LibraryDefinesVersion(systemLibStdCxx, from)) return new PatchResult(PatchOutcome.NotNeeded, $"{systemLibStdCxx} defines {from}");
            byte[] bytes = File.ReadAllBytes(path);
            var result = Patch(bytes, "libstdc++.so.6", from, to);
            if (result.Outcome != PatchOutcome.Patched) return result;
            string tmp = path + ".patching";
            File.WriteAllBytes(tmp, bytes);
            File.Replace(tmp, path, null); // rename over the original: atomic on POSIX
            return result;
        }

        public static uint ElfHash(string name)
        {
            uint h = 0;
            foreach (char ch in name)
            {
                h = (h << 4) + (byte)ch;
                uint g = h & 0xf0000000;
                if (g != 0) h ^= g >> 24;
                h &= ~g;
            }
            return h;
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                if (haystack[i] != needle[0]) continue;
                int j = 1;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        private static string ReadCString(byte[] b, long offset)
        {
            long end = offset;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)offset, (int)(end - offset));
        }

        private static ushort ReadU16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);
        private static uint ReadU32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        private static ulong ReadU64(byte[] b, long o) => ReadU32(b, o) | (ulong)ReadU32(b, o + 4) << 32;
        private static void WriteU32(byte[] b, long o, uint v)
        {
            b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); b[o + 2] = (byte)(v >> 16); b[o + 3] = (byte)(v >> 24);
        }
    }

#if !ELF_PATCHER_NO_TASK
    /// <summary>MSBuild task: patches every given libLibTorchSharp.so where the system libstdc++ lacks GLIBCXX_3.4.32.</summary>
    public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            string? system = ElfVersionNeedPatcher.FindSystemLibStdCxx();
            foreach (var item in Files)
            {
                string path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                var result = ElfVersionNeedPatcher.PatchFileIfSystemLacks(path, system);
                if (result.Outcome == PatchOutcome.Failed)
                {
                    Log.LogError($"Could not patch {path}: {result.Message}");
                    return false;
                }
                Log.LogMessage(result.Outcome == PatchOutcome.Patched ? Microsoft.Build.Framework.MessageImportance.High : Microsoft.Build.Framework.MessageImportance.Low,
                    $"libLibTorchSharp.so: {path}: {result.Outcome} ({result.Message})");
            }
            return true;
        }
    }
#endif
}
