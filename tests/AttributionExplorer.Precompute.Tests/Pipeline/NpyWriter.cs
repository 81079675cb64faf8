using System.Buffers.Binary;
using System.Text;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

/// <summary>Writes a float32 .npy (format 1.0) the way numpy.save does.</summary>
internal static class NpyWriter
{
    public static void WriteFloat32(string path, float[][] rows)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.Length}, {rows[0].Length}), }}";
        int total = 10 + dict.Length + 1;
        string header = dict + new string(' ', (total + 63) / 64 * 64 - total) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var value = new byte[4];
        foreach (var row in rows)
            foreach (float v in row)
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, v);
                stream.Write(value);
            }
    }
}
