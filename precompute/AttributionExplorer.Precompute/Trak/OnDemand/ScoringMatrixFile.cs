using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.OnDemand;

/// <summary>A k×n float32 scoring matrix on disk: "AETRAKM1", int32 rows, int32 cols, then row-major little-endian data.
/// The SHA-256 of the whole file is kept in the database so a replaced or truncated file is detected.</summary>
public static class ScoringMatrixFile
{
    private static readonly byte[] Magic = "AETRAKM1"u8.ToArray();

    /// <returns>The file's SHA-256 (lower-case hex).</returns>
    public static string Save(string path, Tensor matrix)
    {
        if (matrix.dim() != 2) throw new ArgumentException($"scoring matrix must be 2-D, got [{string.Join(",", matrix.shape)}]");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var data = matrix.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write((int)matrix.shape[0]);
            writer.Write((int)matrix.shape[1]);
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }
        File.Move(temp, path, overwrite: true);
        return Hash(path);
    }

    public static Tensor Load(string path, int rows, int cols, string sha256)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: TRAK scoring matrix is missing; rerun `precompute trak`", path);
        if (Hash(path) != sha256) throw new InvalidDataException($"{path}: contents changed since it was written (SHA-256 mismatch); rerun `precompute trak`");
        using var reader = new BinaryReader(File.OpenRead(path));
        if (!reader.ReadBytes(Magic.Length).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a TRAK scoring matrix file");
        int r = reader.ReadInt32(), c = reader.ReadInt32();
        if (r != rows || c != cols) throw new InvalidDataException($"{path}: holds a {r}×{c} matrix, the database expects {rows}×{cols}");
        var bytes = reader.ReadBytes(checked(r * c * sizeof(float)));
        var data = new float[r * c];
        Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
        return torch.tensor(data, [r, c]);
    }

    private static string Hash(string path) => Core.Hashing.Sha256Hex.OfFile(path);
}
