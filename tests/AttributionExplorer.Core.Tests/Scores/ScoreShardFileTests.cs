using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Core.Tests.Scores;

public sealed class ScoreShardFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"ae-shards-{Guid.NewGuid():N}");
    private string File(string name = "shard.aescores") => Path.Combine(folder, name);

    private static float[][] Rows(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    [Fact]
    public void Float32RowsRoundTripExactlyWithTheShapeInTheHeader()
    {
        var rows = Rows(3, 7, seed: 1);
        rows[1][2] = float.NaN;
        rows[2][6] = -1e30f;
        ScoreShardFile.Write(File(), rows, 7, ScoreDtype.Float32);

        using var reader = ScoreShardFile.Open(File());
        Assert.Equal((3, 7, ScoreDtype.Float32), (reader.Rows, reader.Columns, reader.Dtype));
        for (int r = 0; r < 3; r++) Assert.Equal(rows[r], reader.Row(r));
        // Header, the rows, one 32-byte checksum per row.
        Assert.Equal(64 + 3 * 7 * 4 + 3 * 32, new FileInfo(File()).Length);
        Assert.False(System.IO.File.Exists(File() + ".partial"));
    }

    [Fact]
    public void Float16RowsHoldTheNearestHalfAndKeepNaN()
    {
        var rows = Rows(2, 5, seed: 2);
        rows[0][0] = float.NaN;
        ScoreShardFile.Write(File(), rows, 5, ScoreDtype.Float16);

        Assert.Equal(64 + 2 * 5 * 2 + 2 * 32, new FileInfo(File()).Length);
        for (int r = 0; r < 2; r++)
        {
            var read = ScoreShardFile.ReadRow(File(), r);
            Assert.Equal(rows[r].Select(v => (float)(Half)v), read);
        }
        Assert.True(float.IsNaN(ScoreShardFile.ReadRow(File(), 0)[0]));
    }

    [Fact]
    public void ACorruptRowIsReportedWithTheFileAndRowWhileOtherRowsStillRead()
    {
        ScoreShardFile.Write(File(), Rows(3, 16, seed: 3), 16, ScoreDtype.Float32);
        var bytes = System.IO.File.ReadAllBytes(File());
        bytes[64 + 16 * 4 + 5] ^= 0x40; // inside row 1
        System.IO.File.WriteAllBytes(File(), bytes);

        using var reader = ScoreShardFile.Open(File());
        var error = Assert.Throws<InvalidDataException>(() => reader.Row(1));
        Assert.Contains(File(), error.Message);
        Assert.Contains("row 1", error.Message);
        Assert.Equal(16, reader.Row(0).Length);
        Assert.Equal(16, reader.Row(2).Length);
    }

    [Fact]
    public void ATruncatedFileIsRejectedWhenOpenedNamingItAndTheExpectedLength()
    {
        ScoreShardFile.Write(File(), Rows(2, 10, seed: 4), 10, ScoreDtype.Float16);
        using (var stream = new FileStream(File(), FileMode.Open)) stream.SetLength(stream.Length - 7);

        var error = Assert.Throws<InvalidDataException>(() => ScoreShardFile.Open(File()));
        Assert.Contains(File(), error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains($"needs {64 + 2 * 10 * 2 + 2 * 32}", error.Message);

        using (var stream = new FileStream(File(), FileMode.Open)) stream.SetLength(20);
        Assert.Contains("header", Assert.Throws<InvalidDataException>(() => ScoreShardFile.ReadRow(File(), 0)).Message);
    }

    [Fact]
    public void AChangedHeaderOrChecksumTableFailsTheHeaderChecksum()
    {
        ScoreShardFile.Write(File(), Rows(2, 4, seed: 5), 4, ScoreDtype.Float32);
        var bytes = System.IO.File.ReadAllBytes(File());
        bytes[^1] ^= 1; // last byte of row 1's checksum
        System.IO.File.WriteAllBytes(File(), bytes);

        var error = Assert.Throws<InvalidDataException>(() => ScoreShardFile.Open(File()));
        Assert.Contains("header checksum", error.Message);
        Assert.Contains(File(), error.Message);
    }

    [Fact]
    public void OtherFilesAndMissingFilesAreNamed()
    {
        Directory.CreateDirectory(folder);
        System.IO.File.WriteAllBytes(File("other.bin"), new byte[100]);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => ScoreShardFile.Open(File("other.bin"))).Message);
        var missing = Assert.Throws<InvalidDataException>(() => ScoreShardFile.Open(File("absent.aescores")));
        Assert.Contains("absent.aescores", missing.Message);
        Assert.Contains("missing", missing.Message);
    }

    [Fact]
    public void ARowOfTheWrongLengthWritesNothing()
    {
        var rows = Rows(2, 5, seed: 6);
        rows[1] = new float[4];
        var error = Assert.Throws<ArgumentException>(() => ScoreShardFile.Write(File(), rows, 5, ScoreDtype.Float32));
        Assert.Contains("row 1", error.Message);
        Assert.False(System.IO.File.Exists(File()));
        Assert.False(System.IO.File.Exists(File() + ".partial"));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
