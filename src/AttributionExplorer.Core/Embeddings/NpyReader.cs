using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace AttributionExplorer.Core.Embeddings;

/// <summary>Reads a 2-D NumPy .npy matrix (format 1.0, 2.0 or 3.0; little-endian float16/32/64; C order) as rows of
/// floats. Every problem is reported with the file path and what is wrong.</summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static float[][] Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: embeddings file not found", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a .npy file (bad magic)");
        int major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1: headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)); headerStart = 10; break;
            case 2 or 3:
                if (bytes.Length < 12) throw new InvalidDataException($"{path}: truncated header");
                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8))); headerStart = 12; break;
            default: throw new InvalidDataException($"{path}: unsupported .npy format version {major}");
        }
        if (headerStart + headerLength > bytes.Length) throw new InvalidDataException($"{path}: truncated header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, headerStart, headerLength);

        string descr = Field(path, header, DescrPattern(), "descr");
        string fortran = Field(path, header, FortranPattern(), "fortran_order");
        string shape = Field(path, header, ShapePattern(), "shape");
        if (fortran != "False") throw new InvalidDataException($"{path}: fortran_order True is not supported (save with np.ascontiguousarray)");
        int width = descr switch
        {
            "<f2" => 2, "<f4" => 4, "<f8" => 8,
            _ => throw new InvalidDataException($"{path}: unsupported dtype \"{descr}\" (expected little-endian float16, float32 or float64)"),
        };
        var dims = shape.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        if (dims.Length != 2) throw new InvalidDataException($"{path}: shape ({shape}) is not 2-D; expected (images, dimensions)");
        long rows = dims[0], cols = dims[1];
        long dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart < rows * cols * width)
            throw new InvalidDataException($"{path}: truncated data: {rows}×{cols} {descr} needs {rows * cols * width} bytes, file has {bytes.Length - dataStart}");

        var result = new float[rows][];
        var data = bytes.AsSpan((int)dataStart);
        for (long r = 0; r < rows; r++)
        {
            var row = new float[cols];
            for (long c = 0; c < cols; c++)
            {
                int at = (int)((r * cols + c) * width);
                row[c] = width switch
                {
                    2 => (float)BinaryPrimitives.ReadHalfLittleEndian(data[at..]),
                    4 => BinaryPrimitives.ReadSingleLittleEndian(data[at..]),
                    _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(data[at..]),
                };
            }
            result[r] = row;
        }
        return result;
    }

    private static string Field(string path, string header, Regex pattern, string name) =>
        pattern.Match(header) is { Success: true } m ? m.Groups[1].Value : throw new InvalidDataException($"{path}: header has no '{name}' field");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrPattern();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex FortranPattern();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapePattern();
}
