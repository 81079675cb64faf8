using System.Diagnostics;
using AttributionExplorer.Build;

namespace AttributionExplorer.Build.Tests;

public class ElfVersionNeedPatcherTests
{
    [Theory]
    [InlineData("GLIBCXX_3.4", 0x08922974u)]     // values as printed by `objdump -p`
    [InlineData("GLIBCXX_3.4.32", 0x0297f842u)]
    [InlineData("GLIBC_2.2.5", 0x09691a75u)]
    public void ElfHashMatchesBinutils(string name, uint expected) =>
        Assert.Equal(expected, ElfVersionNeedPatcher.ElfHash(name));

    [Fact]
    public void PatchesOnlyTheOneEntryOfASyntheticLibrary()
    {
        byte[] elf = SyntheticElf.WithLibStdCxxNeeds("GLIBCXX_3.4", "GLIBCXX_3.4.32", "CXXABI_1.3");
        byte[] before = (byte[])elf.Clone();

        var result = ElfVersionNeedPatcher.Patch(elf, "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4");

        Assert.Equal(PatchOutcome.Patched, result.Outcome);
        var names = SyntheticElf.ReadAuxNames(elf);
        Assert.Equal(new[] { "GLIBCXX_3.4", "GLIBCXX_3.4", "CXXABI_1.3" }, names.Select(n => n.Name));
        Assert.Equal(0x08922974u, names[1].Hash);
        Assert.Equal((ushort)3, names[1].Other); // the version index symbols refer to is kept
        int changed = Enumerable.Range(0, elf.Length).Count(i => elf[i] != before[i]);
        Assert.InRange(changed, 1, 8); // only vna_hash and vna_name of one entry
    }

    [Fact]
    public void SecondPatchIsANoOp()
    {
        byte[] elf = SyntheticElf.WithLibStdCxxNeeds("GLIBCXX_3.4", "GLIBCXX_3.4.32");
        ElfVersionNeedPatcher.Patch(elf, "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4");
        byte[] once = (byte[])elf.Clone();
        var again = ElfVersionNeedPatcher.Patch(elf, "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4");
        Assert.Equal(PatchOutcome.NotNeeded, again.Outcome);
        Assert.Equal(once, elf);
    }

    [Fact]
    public void FailsWhenTheReplacementVersionIsNotAlreadyNeeded()
    {
        byte[] elf = SyntheticElf.WithLibStdCxxNeeds("GLIBCXX_3.4.32");
        var result = ElfVersionNeedPatcher.Patch(elf, "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4");
        Assert.Equal(PatchOutcome.Failed, result.Outcome);
    }

    [Fact]
    public void RejectsFilesThatAreNotElf()
    {
        var result = ElfVersionNeedPatcher.Patch(new byte[128], "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4");
        Assert.Equal(PatchOutcome.Failed, result.Outcome);
    }

    [Fact]
    public void LeavesTheFileAloneWhenTheSystemHasTheVersion()
    {
        string dir = Directory.CreateTempSubdirectory("elfpatch").FullName;
        try
        {
            string lib = Path.Combine(dir, "libLibTorchSharp.so");
            byte[] elf = SyntheticElf.WithLibStdCxxNeeds("GLIBCXX_3.4", "GLIBCXX_3.4.32");
            File.WriteAllBytes(lib, elf);
            string newStdCxx = Path.Combine(dir, "libstdc++.so.6");
            File.WriteAllBytes(newStdCxx, "xxGLIBCXX_3.4.31\0GLIBCXX_3.4.32\0yy"u8.ToArray());
            string oldStdCxx = Path.Combine(dir, "old-libstdc++.so.6");
            File.WriteAllBytes(oldStdCxx, "xxGLIBCXX_3.4.30\0GLIBCXX_3.4.320\0"u8.ToArray());

            Assert.Equal(PatchOutcome.NotNeeded, ElfVersionNeedPatcher.PatchFileIfSystemLacks(lib, newStdCxx).Outcome);
            Assert.Equal(elf, File.ReadAllBytes(lib));
            Assert.Equal(PatchOutcome.Patched, ElfVersionNeedPatcher.PatchFileIfSystemLacks(lib, oldStdCxx).Outcome);
            Assert.NotEqual(elf, File.ReadAllBytes(lib));
            Assert.False(File.Exists(lib + ".patching"));
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The real shipped library, checked by binutils' readelf (an independent ELF reader).</summary>
    [Fact]
    public void ShippedLibTorchSharpNoLongerNeedsGlibcxx3432()
    {
        string shipped = Path.Combine(NuGetPackagesRoot(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(shipped), $"TorchSharp 0.107.0 is restored by the solution, expected {shipped}");
        string copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        try
        {
            byte[] bytes = File.ReadAllBytes(shipped);
            Assert.Contains("GLIBCXX_3.4.32", ReadElfVersions(shipped));
            var result = ElfVersionNeedPatcher.Patch(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4");
            Assert.Equal(PatchOutcome.Patched, result.Outcome);
            File.WriteAllBytes(copy, bytes);
            string versions = ReadElfVersions(copy);
            Assert.DoesNotContain("GLIBCXX_3.4.32", versions);
            Assert.Contains("GLIBCXX_3.4.30", versions);
        }
        finally { File.Delete(copy); }
    }

    private static string NuGetPackagesRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string ReadElfVersions(string path)
    {
        var psi = new ProcessStartInfo("readelf", ["-V", "-W", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
