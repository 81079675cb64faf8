using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AttributionExplorer.Tests.Shared;

/// <summary>Well-formed PNG files built byte by byte (signature, IHDR, IDAT, IEND with real CRCs), including a
/// decompression bomb: a few hundred bytes whose header declares an enormous image.</summary>
public static class PngBytes
{
    /// <summary>An 8-bit RGB PNG of the given size whose rows are zeros (black). Only small sizes are materialized;
    /// for a bomb pass <paramref name="rowsToCompress"/> = a few rows: the IDAT then holds fewer rows than declared,
    /// which a decoder only discovers after allocating for the full size.</summary>
    public static byte[] Rgb(int width, int height, int? rowsToCompress = null)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        Chunk(output, "IHDR", ihdr);
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + Math.Min(width, 1 << 16) * 3]; // filter byte 0 + pixels
            for (int y = 0; y < (rowsToCompress ?? height); y++) z.Write(row);
        }
        Chunk(output, "IDAT", idat.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        output.Write(length);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
