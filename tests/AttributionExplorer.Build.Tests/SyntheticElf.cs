using System.Buffers.Binary;
using System.Text;

namespace AttributionExplorer.Build.Tests;

/// <summary>Builds a minimal 64-bit little-endian ELF with a .dynstr and a .gnu.version_r that needs libstdc++.so.6
/// at the given versions, laid out by hand from the ELF specification.</summary>
internal static class SyntheticElf
{
    private const int HeaderSize = 64, SectionHeaderSize = 64;

    public static byte[] WithLibStdCxxNeeds(params string[] versions)
    {
        var dynstr = new List<byte> { 0 };
        int AddString(string s) { int o = dynstr.Count; dynstr.AddRange(Encoding.ASCII.GetBytes(s)); dynstr.Add(0); return o; }
        int file = AddString("libstdc++.so.6");
        int[] names = versions.Select(AddString).ToArray();

        int verneedSize = 16 + 16 * versions.Length;
        int dynstrOffset = HeaderSize, verneedOffset = dynstrOffset + dynstr.Count;
        verneedOffset = (verneedOffset + 7) & ~7;
        int shoff = (verneedOffset + verneedSize + 7) & ~7;
        var elf = new byte[shoff + 3 * SectionHeaderSize];

        "\u007fELF"u8.CopyTo(elf);
        elf[4] = 2; elf[5] = 1; elf[6] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(0x28), (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3A), SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3C), 3);
        dynstr.ToArray().CopyTo(elf, dynstrOffset);

        var vn = elf.AsSpan(verneedOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(vn, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(vn[2..], (ushort)versions.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(vn[4..], (uint)file);
        BinaryPrimitives.WriteUInt32LittleEndian(vn[8..], 16);
        for (int i = 0; i < versions.Length; i++)
        {
            var aux = vn[(16 + 16 * i)..];
            BinaryPrimitives.WriteUInt32LittleEndian(aux, AttributionExplorer.Build.ElfVersionNeedPatcher.ElfHash(versions[i]));
            BinaryPrimitives.WriteUInt16LittleEndian(aux[6..], (ushort)(2 + i));
            BinaryPrimitives.WriteUInt32LittleEndian(aux[8..], (uint)names[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(aux[12..], i == versions.Length - 1 ? 0u : 16u);
        }

        WriteSection(elf, shoff, 1, type: 3, offset: dynstrOffset, size: dynstr.Count, link: 0, info: 0);
        WriteSection(elf, shoff, 2, type: 0x6ffffffe, offset: verneedOffset, size: verneedSize, link: 1, info: 1);
        return elf;
    }

    public static List<(string Name, uint Hash, ushort Other)> ReadAuxNames(byte[] elf)
    {
        int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int dynstr = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(shoff + SectionHeaderSize + 0x18));
        int verneed = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(shoff + 2 * SectionHeaderSize + 0x18));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(verneed + 2));
        var result = new List<(string, uint, ushort)>();
        for (int i = 0; i < count; i++)
        {
            int aux = verneed + 16 + 16 * i;
            int name = dynstr + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
            int end = Array.IndexOf(elf, (byte)0, name);
            result.Add((Encoding.ASCII.GetString(elf, name, end - name),
                BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux)),
                BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 6))));
        }
        return result;
    }

    private static void WriteSection(byte[] elf, int shoff, int index, uint type, int offset, int size, uint link, uint info)
    {
        var sh = elf.AsSpan(shoff + index * SectionHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(sh[4..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(sh[0x18..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(sh[0x20..], (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(sh[0x28..], link);
        BinaryPrimitives.WriteUInt32LittleEndian(sh[0x2C..], info);
    }
}
