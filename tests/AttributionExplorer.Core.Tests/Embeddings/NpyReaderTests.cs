using AttributionExplorer.Core.Embeddings;

namespace AttributionExplorer.Core.Tests.Embeddings;

public sealed class NpyReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("npy-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(byte[] bytes, string name = "m.npy")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsFloat32Version1()
    {
        // IEEE-754 single bit patterns: 1, -2, 0.5, 3.25, 0, 100
        var data = NpyFileWriter.LittleEndian(4, "3F800000", "C0000000", "3F000000", "40500000", "00000000", "42C80000");
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f4", "(3, 2)"), data));

        var rows = NpyReader.Read(path);

        Assert.Equal(3, rows.Length);
        Assert.Equal(new float[] { 1f, -2f }, rows[0]);
        Assert.Equal(new float[] { 0.5f, 3.25f }, rows[1]);
        Assert.Equal(new float[] { 0f, 100f }, rows[2]);
    }

    [Fact]
    public void ReadsFloat64Version2()
    {
        // IEEE-754 double bit patterns: 1, -0.75, 1e-3 (rounded to float on read), 2^40
        var data = NpyFileWriter.LittleEndian(8, "3FF0000000000000", "BFE8000000000000", "3F50624DD2F1A9FC", "4270000000000000");
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f8", "(2, 2)"), data, major: 2));

        var rows = NpyReader.Read(path);

        Assert.Equal(new float[] { 1f, -0.75f }, rows[0]);
        Assert.Equal(new float[] { 0.001f, 1099511627776f }, rows[1]);
    }

    [Fact]
    public void ReadsFloat16()
    {
        // IEEE-754 half bit patterns: 1, -2, 0.333251953125 (nearest half to 1/3), 65504 (max half)
        var data = NpyFileWriter.LittleEndian(2, "3C00", "C000", "3555", "7BFF");
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f2", "(1, 4)"), data));

        var rows = NpyReader.Read(path);

        Assert.Equal(new float[] { 1f, -2f, 0.333251953125f, 65504f }, rows[0]);
    }

    [Fact]
    public void ReadsVersion3HeaderKeysInAnyOrderWithoutTrailingComma()
    {
        var data = NpyFileWriter.LittleEndian(4, "3F800000", "40000000");
        var header = "{'shape': (2,1), 'fortran_order': False, 'descr': '<f4'}";
        var path = Write(NpyFileWriter.Build(header, data, major: 3));

        var rows = NpyReader.Read(path);

        Assert.Equal(new[] { new[] { 1f }, new[] { 2f } }, rows);
    }

    [Fact]
    public void EmptyMatrixGivesNoRows()
    {
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f4", "(0, 512)"), []));
        Assert.Empty(NpyReader.Read(path));
    }

    [Fact]
    public void BadMagicIsReported()
    {
        var bytes = NpyFileWriter.Build(NpyFileWriter.Header("<f4", "(1, 1)"), new byte[4]);
        bytes[1] = (byte)'X';
        var path = Write(bytes);

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("bad magic", ex.Message);
    }

    [Fact]
    public void FileShorterThanMagicIsBadMagic()
    {
        var path = Write([0x93, (byte)'N']);
        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains("bad magic", ex.Message);
    }

    [Theory]
    [InlineData("<i4")]
    [InlineData(">f4")]
    [InlineData("|u1")]
    public void UnsupportedDtypeIsNamed(string descr)
    {
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header(descr, "(1, 1)"), new byte[4]));

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains($"unsupported dtype \"{descr}\"", ex.Message);
    }

    [Fact]
    public void FortranOrderIsRejected()
    {
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f4", "(2, 2)", fortranOrder: true), new byte[16]));

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("fortran_order True", ex.Message);
    }

    [Theory]
    [InlineData("(4,)", 1)]
    [InlineData("(2, 1, 2)", 3)]
    [InlineData("()", 0)]
    public void NonMatrixShapeIsRejected(string shape, int ndim)
    {
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f4", shape), new byte[16]));

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains($"{ndim}-D", ex.Message);
        Assert.Contains("expected 2-D", ex.Message);
    }

    [Fact]
    public void TruncatedDataIsReported()
    {
        var path = Write(NpyFileWriter.Build(NpyFileWriter.Header("<f8", "(2, 3)"), new byte[47]));

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated data", ex.Message);
        Assert.Contains("48 bytes, found 47", ex.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        var bytes = NpyFileWriter.Build(NpyFileWriter.Header("<f4", "(1, 1)"), new byte[4]);
        var path = Write(bytes[..30]);

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated header", ex.Message);
    }

    [Fact]
    public void UnknownVersionIsReported()
    {
        var bytes = NpyFileWriter.Build(NpyFileWriter.Header("<f4", "(1, 1)"), new byte[4]);
        bytes[6] = 9;
        var path = Write(bytes);

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains("format version 9.0", ex.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'shape': (1, 1), }", "no 'fortran_order' entry")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", "malformed header")]
    [InlineData("{'descr': '<f4' 'fortran_order': False}", "expected ','")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1, 1), }", "structured dtypes")]
    public void MalformedHeaderIsReported(string header, string expected)
    {
        var path = Write(NpyFileWriter.Build(header, new byte[4]));

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var path = Path.Combine(_dir, "absent.npy");
        var ex = Assert.Throws<FileNotFoundException>(() => NpyReader.Read(path));
        Assert.Contains(path, ex.Message);
    }
}
