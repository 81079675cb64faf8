using System.Buffers.Binary;
using System.Text;
using AttributionExplorer.Core.Embeddings;

namespace AttributionExplorer.Core.Tests.Embeddings;

public class NpyReaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-npy").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Writes a .npy byte by byte as numpy does: magic, version, header length, dict padded with spaces and a
    /// newline so the data starts on a 64-byte boundary.</summary>
    private string Write(string name, string descr, string shape, byte[] data, int major = 1, bool fortran = false)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        using var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(data);
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, stream.ToArray());
        return path;
    }

    private static byte[] Bytes<T>(T[] values, int width, Action<Span<byte>, T> write)
    {
        var bytes = new byte[values.Length * width];
        for (int i = 0; i < values.Length; i++) write(bytes.AsSpan(i * width), values[i]);
        return bytes;
    }

    [Fact]
    public void ReadsFloat16And32And64InVersion1And2Headers()
    {
        float[][] expected = [[1, -2.5f, 3], [0.25f, 5, -6]];
        var f4 = Write("f4.npy", "<f4", "(2, 3)", Bytes(expected.SelectMany(r => r).ToArray(), 4, (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v)));
        var f8 = Write("f8.npy", "<f8", "(2, 3)", Bytes(expected.SelectMany(r => r).Select(v => (double)v).ToArray(), 8, (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v)), major: 2);
        var f2 = Write("f2.npy", "<f2", "(2, 3)", Bytes(expected.SelectMany(r => r).Select(v => (Half)v).ToArray(), 2, (s, v) => BinaryPrimitives.WriteHalfLittleEndian(s, v)));
        foreach (var path in new[] { f4, f8, f2 }) Assert.Equal(expected, NpyReader.Read(path));
        Assert.Equal(0, (new FileInfo(f4).Length - 2 * 3 * 4) % 64);
    }

    [Fact]
    public void MalformedFilesNameThePathAndTheProblem()
    {
        var bad = Path.Combine(dir, "bad.npy");
        File.WriteAllText(bad, "not numpy at all");
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => NpyReader.Read(bad)).Message);
        Assert.Contains(bad, Assert.Throws<InvalidDataException>(() => NpyReader.Read(bad)).Message);
        Assert.Contains("unsupported dtype \"<i4\"", Assert.Throws<InvalidDataException>(() => NpyReader.Read(Write("i4.npy", "<i4", "(1, 1)", new byte[4]))).Message);
        Assert.Contains("fortran_order", Assert.Throws<InvalidDataException>(() => NpyReader.Read(Write("fo.npy", "<f4", "(1, 1)", new byte[4], fortran: true))).Message);
        Assert.Contains("not 2-D", Assert.Throws<InvalidDataException>(() => NpyReader.Read(Write("1d.npy", "<f4", "(3,)", new byte[12]))).Message);
        Assert.Contains("truncated data", Assert.Throws<InvalidDataException>(() => NpyReader.Read(Write("short.npy", "<f4", "(2, 2)", new byte[12]))).Message);
        Assert.Throws<FileNotFoundException>(() => NpyReader.Read(Path.Combine(dir, "missing.npy")));
    }

    [Fact]
    public void IdListSkipsBlankLinesAndComments()
    {
        var path = Path.Combine(dir, "ids.txt");
        File.WriteAllText(path, "# rows of clip.npy\n000001.png\n\n  42  \n");
        Assert.Equal(new[] { "000001.png", "42" }, EmbeddingIdList.Read(path));
    }
}
