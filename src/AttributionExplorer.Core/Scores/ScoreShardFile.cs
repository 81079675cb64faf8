using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;

namespace AttributionExplorer.Core.Scores;

/// <summary>A shard of a run's dense scores: one row per target, one column per training image (the run's score order),
/// float16 or float32, memory-mapped for reading. Layout (little-endian):
/// <list type="bullet">
/// <item>bytes 0–63, the header: magic "AESCORES", format version (u32), dtype in bits (u32), rows (i64), columns (i64),
/// then the SHA-256 of header bytes 0–31 followed by the row checksum table;</item>
/// <item>the rows, row-major, rows × columns × dtype width bytes;</item>
/// <item>the row checksum table: the SHA-256 of each row's bytes, 32 bytes per row.</item>
/// </list>
/// Reading one row checks the header, the file's length against the shape and that row's checksum; a bad file is an
/// <see cref="InvalidDataException"/> naming it.</summary>
public static class ScoreShardFile
{
    public const int HeaderBytes = 64;
    public const int FormatVersion = 1;
    private const int HashBytes = 32;
    private static ReadOnlySpan<byte> Magic => "AESCORES"u8;

    /// <summary>Writes <paramref name="rows"/> (each of <paramref name="columns"/> scores) to a temporary file next to
    /// <paramref name="path"/>, flushed to disk, then renames it into place: the path holds a whole shard or nothing new.</summary>
    public static void Write(string path, IReadOnlyList<float[]> rows, int columns, ScoreDtype dtype)
    {
        if (rows.Count == 0) throw new ArgumentException("a score shard needs at least one row", nameof(rows));
        for (int r = 0; r < rows.Count; r++)
            if (rows[r].Length != columns)
                throw new ArgumentException($"score shard {path}: row {r} has {rows[r].Length} scores, expected {columns}", nameof(rows));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = path + ".partial";
        try
        {
            var table = new byte[rows.Count * HashBytes];
            var header = new byte[HeaderBytes];
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                stream.Write(header);
                for (int r = 0; r < rows.Count; r++)
                {
                    byte[] encoded = ScoreCodec.Encode(rows[r], dtype);
                    SHA256.HashData(encoded, table.AsSpan(r * HashBytes, HashBytes));
                    stream.Write(encoded);
                }
                stream.Write(table);
                WriteHeader(header, dtype, rows.Count, columns, table);
                stream.Position = 0;
                stream.Write(header);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Row <paramref name="row"/> of the shard, checked against its checksum.</summary>
    public static float[] ReadRow(string path, int row)
    {
        using var reader = Open(path);
        return reader.Row(row);
    }

    /// <summary>Opens a shard, checking its header, length and checksum table (not yet the rows).</summary>
    public static Reader Open(string path) => new(path);

    public sealed class Reader : IDisposable
    {
        private readonly MemoryMappedFile map;
        private readonly MemoryMappedViewAccessor view;
        private readonly byte[] table;
        private readonly int width;

        internal Reader(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
            if (!File.Exists(Path)) throw new InvalidDataException($"score file {Path} is missing");
            long length = new FileInfo(Path).Length;
            if (length < HeaderBytes)
                throw new InvalidDataException($"score file {Path} is truncated: {length} bytes, shorter than its {HeaderBytes}-byte header");
            map = MemoryMappedFile.CreateFromFile(Path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            try
            {
                view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                var header = new byte[HeaderBytes];
                view.ReadArray(0, header, 0, HeaderBytes);
                if (!header.AsSpan(0, 8).SequenceEqual(Magic)) throw Bad("magic", "is not a score file (no AESCORES magic)");
                int version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
                if (version != FormatVersion) throw Bad("version", $"has format version {version}; this program reads {FormatVersion}");
                int bits = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
                if (bits is not ((int)ScoreDtype.Float16 or (int)ScoreDtype.Float32)) throw Bad("dtype", $"has dtype {bits} bits (expected 16 or 32)");
                Dtype = (ScoreDtype)bits;
                width = bits / 8;
                long rows = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16)), columns = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24));
                if (rows < 1 || rows > int.MaxValue || columns < 0 || columns > int.MaxValue / 4)
                    throw Bad("shape", $"has an impossible shape {rows} × {columns}");
                Rows = (int)rows;
                Columns = (int)columns;
                long expected = HeaderBytes + rows * columns * width + rows * HashBytes;
                if (length != expected)
                    throw Bad("length", $"is {(length < expected ? "truncated" : "too long")}: {length} bytes, its header says {rows} × {columns} {Dtype} needs {expected}");
                table = new byte[Rows * HashBytes];
                view.ReadArray(expected - table.Length, table, 0, table.Length);
                Span<byte> check = stackalloc byte[HashBytes];
                HeaderHash(header, table, check);
                if (!check.SequenceEqual(header.AsSpan(32, HashBytes))) throw Bad("header checksum", "has a header or checksum table that does not match its checksum");
            }
            catch
            {
                view?.Dispose();
                map.Dispose();
                throw;
            }
        }

        public string Path { get; }
        public ScoreDtype Dtype { get; }
        public int Rows { get; }
        public int Columns { get; }

        public float[] Row(int row)
        {
            if (row < 0 || row >= Rows) throw new InvalidDataException($"score file {Path} has {Rows} rows; row {row} was asked for");
            var bytes = new byte[(long)Columns * width];
            view.ReadArray(HeaderBytes + (long)row * bytes.Length, bytes, 0, bytes.Length);
            Span<byte> hash = stackalloc byte[HashBytes];
            SHA256.HashData(bytes, hash);
            if (!hash.SequenceEqual(table.AsSpan(row * HashBytes, HashBytes)))
                throw new InvalidDataException($"score file {Path}: row {row} does not match its checksum (the file is corrupt)");
            return ScoreCodec.Decode(bytes, Dtype);
        }

        public void Dispose()
        {
            view.Dispose();
            map.Dispose();
        }

        private InvalidDataException Bad(string field, string problem) => new($"score file {Path} {problem} (field: {field})");
    }

    private static void WriteHeader(byte[] header, ScoreDtype dtype, int rows, int columns, byte[] table)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), (int)dtype);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), rows);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), columns);
        HeaderHash(header, table, header.AsSpan(32, HashBytes));
    }

    private static void HeaderHash(byte[] header, byte[] table, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header, 0, 32);
        hash.AppendData(table);
        hash.GetHashAndReset(destination);
    }
}
