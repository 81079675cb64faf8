using System.Text;

namespace AttributionExplorer.Core.Tests.Embeddings;

/// <summary>Writes .npy files byte by byte the way numpy.save does: magic, version, little-endian header length,
/// a dict header padded with spaces and ended by '\n' so the data starts at a multiple of 64 bytes.</summary>
internal static class NpyFileWriter
{
    public static byte[] Build(string headerDict, byte[] data, int major = 1)
    {
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 6 + 2 + lengthBytes;
        int unpadded = prefix + Encoding.UTF8.GetByteCount(headerDict) + 1;
        int padding = (64 - unpadded % 64) % 64;
        var header = Encoding.UTF8.GetBytes(headerDict + new string(' ', padding) + "\n");

        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        for (int i = 0; i < lengthBytes; i++) bytes.Add((byte)(header.Length >> (8 * i)));
        bytes.AddRange(header);
        if (bytes.Count % 64 != 0) throw new InvalidOperationException("fixture header is not 64-byte aligned");
        bytes.AddRange(data);
        return [.. bytes];
    }

    public static string Header(string descr, string shape, bool fortranOrder = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}";

    /// <summary>Little-endian bytes of the given big-endian-written hex words, e.g. ("3F800000", 4).</summary>
    public static byte[] LittleEndian(int width, params string[] hexWords) =>
        hexWords.SelectMany(h => Convert.FromHexString(h.PadLeft(2 * width, '0')).Reverse()).ToArray();
}
