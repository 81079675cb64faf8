using System.Buffers.Binary;
using System.Text;

namespace AttributionExplorer.Core.Embeddings;

/// <summary>Reads a 2-D NumPy .npy matrix [n, d] (format 1.0, 2.0 or 3.0; little-endian float16/32/64; C order)
/// into one float row per item.</summary>
public static class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static float[][] Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: .npy file not found", path);
        using var stream = File.OpenRead(path);
        var header = ReadHeader(stream, path);
        var (elementSize, decode) = header.Descr switch
        {
            "<f4" => (4, (Func<ReadOnlySpan<byte>, float>)(b => BinaryPrimitives.ReadSingleLittleEndian(b))),
            "<f8" => (8, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)),
            "<f2" => (2, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b)),
            _ => throw new InvalidDataException(
                $"{path}: unsupported dtype \"{header.Descr}\" (expected '<f4', '<f8' or '<f2')"),
        };
        if (header.FortranOrder)
            throw new InvalidDataException($"{path}: fortran_order True is not supported (save with C order)");
        if (header.Shape.Length != 2)
            throw new InvalidDataException(
                $"{path}: array is {header.Shape.Length}-D with shape ({string.Join(", ", header.Shape)}), expected 2-D [n, d]");

        long rows = header.Shape[0], cols = header.Shape[1];
        long expectedBytes = rows * cols * elementSize;
        long availableBytes = stream.Length - stream.Position;
        if (availableBytes < expectedBytes)
            throw new InvalidDataException(
                $"{path}: truncated data: shape ({rows}, {cols}) of {header.Descr} needs {expectedBytes} bytes, found {availableBytes}");
        if (availableBytes > expectedBytes)
            throw new InvalidDataException(
                $"{path}: {availableBytes - expectedBytes} unexpected bytes after the ({rows}, {cols}) array");
        if (cols * elementSize > int.MaxValue || rows > Array.MaxLength)
            throw new InvalidDataException($"{path}: shape ({rows}, {cols}) is too large");

        var result = new float[rows][];
        var rowBytes = new byte[cols * elementSize];
        for (long r = 0; r < rows; r++)
        {
            stream.ReadExactly(rowBytes);
            var row = new float[cols];
            for (int c = 0; c < cols; c++) row[c] = decode(rowBytes.AsSpan(c * elementSize, elementSize));
            result[r] = row;
        }
        return result;
    }

    private sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape);

    private static NpyHeader ReadHeader(Stream stream, string path)
    {
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: bad magic, not a NumPy .npy file");
        int major = prefix[6];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new InvalidDataException($"{path}: unsupported .npy format version {major}.{prefix[7]}"),
        };
        var lengthField = new byte[lengthBytes];
        if (stream.ReadAtLeast(lengthField, lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new InvalidDataException($"{path}: truncated header length");
        long headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > stream.Length - stream.Position)
            throw new InvalidDataException($"{path}: truncated header ({headerLength} bytes announced)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        // Versions 1.0 and 2.0 store the header as latin-1, 3.0 as UTF-8.
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortranOrder, shape) = NpyHeaderParser.Parse(text, path);
        return new NpyHeader(descr, fortranOrder, shape);
    }
}
