using System.Buffers.Binary;

namespace AttributionExplorer.Core.Images;

public enum ImageFormat { Png, Jpeg }

/// <summary>An image's format and pixel size as its header declares them.</summary>
public sealed record ImageHeaderInfo(ImageFormat Format, int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>Reads PNG and JPEG dimensions from the first bytes without decoding, so a size can be refused before a
/// decoder allocates for it. Reads at most <see cref="MaxHeaderBytes"/> bytes; JPEG segments before the frame header
/// (EXIF, ICC profiles) are skipped by their lengths, not read.</summary>
public static class ImageHeader
{
    public const int MaxHeaderBytes = 1 << 20;
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The header of a PNG or JPEG, or null with the reason when the bytes are neither or are cut short.</summary>
    public static ImageHeaderInfo? TryRead(Stream stream, out string? problem)
    {
        problem = null;
        Span<byte> start = stackalloc byte[24];
        int n = ReadUpTo(stream, start);
        if (n >= 8 && start[..8].SequenceEqual(PngSignature)) return Png(start[..n], out problem);
        if (n >= 3 && start[0] == 0xFF && start[1] == 0xD8 && start[2] == 0xFF) return Jpeg(stream, start[2..n], out problem);
        problem = "not a PNG or JPEG image";
        return null;
    }

    public static ImageHeaderInfo? TryRead(ReadOnlySpan<byte> bytes, out string? problem)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return TryRead(stream, out problem);
    }

    public static ImageHeaderInfo? TryReadFile(string path, out string? problem)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        return TryRead(stream, out problem);
    }

    private static ImageHeaderInfo? Png(ReadOnlySpan<byte> start, out string? problem)
    {
        // The first chunk must be IHDR: length 13, "IHDR", width and height as big-endian 31-bit integers.
        if (start.Length < 24 || BinaryPrimitives.ReadUInt32BigEndian(start[8..]) != 13 || !start[12..16].SequenceEqual("IHDR"u8))
        {
            problem = "PNG without an IHDR header chunk";
            return null;
        }
        uint width = BinaryPrimitives.ReadUInt32BigEndian(start[16..]), height = BinaryPrimitives.ReadUInt32BigEndian(start[20..]);
        return Checked(ImageFormat.Png, width, height, out problem);
    }

    private static ImageHeaderInfo? Jpeg(Stream stream, ReadOnlySpan<byte> afterSoi, out string? problem)
    {
        // Segments follow the SOI marker: 0xFF, marker byte, then (for most markers) a big-endian length that includes
        // itself. The first start-of-frame segment (SOF0..SOF15 except DHT, JPG and DAC) holds precision, height, width.
        var pending = new Queue<byte>(afterSoi.ToArray());
        long consumed = 2 + afterSoi.Length;
        int Next()
        {
            if (pending.Count > 0) return pending.Dequeue();
            int b = stream.ReadByte();
            if (b >= 0) consumed++;
            return b;
        }
        while (consumed <= MaxHeaderBytes)
        {
            int b = Next();
            if (b < 0) break;
            if (b != 0xFF) { problem = "JPEG with a malformed segment marker"; return null; }
            int marker;
            do marker = Next(); while (marker == 0xFF);
            if (marker < 0) break;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue;
            if (marker is 0xD9 or 0xDA) { problem = "JPEG without a frame header before its image data"; return null; }
            int hi = Next(), lo = Next();
            if (lo < 0) break;
            int length = (hi << 8) | lo;
            if (length < 2) { problem = "JPEG segment with a length below 2"; return null; }
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (length < 7) { problem = "JPEG frame header too short"; return null; }
                Next();
                int h1 = Next(), h0 = Next(), w1 = Next(), w0 = Next();
                if (w0 < 0) break;
                return Checked(ImageFormat.Jpeg, (uint)((w1 << 8) | w0), (uint)((h1 << 8) | h0), out problem);
            }
            if (!Skip(stream, pending, length - 2, ref consumed)) break;
        }
        problem = consumed > MaxHeaderBytes ? $"JPEG without a frame header in its first {MaxHeaderBytes} bytes" : "JPEG cut short before its frame header";
        return null;
    }

    private static bool Skip(Stream stream, Queue<byte> pending, int count, ref long consumed)
    {
        while (count > 0 && pending.Count > 0) { pending.Dequeue(); count--; }
        if (count == 0) return true;
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length) return false;
            stream.Seek(count, SeekOrigin.Current);
            consumed += count;
            return true;
        }
        Span<byte> sink = stackalloc byte[512];
        while (count > 0)
        {
            int read = stream.Read(sink[..Math.Min(count, sink.Length)]);
            if (read == 0) return false;
            count -= read;
            consumed += read;
        }
        return true;
    }

    private static ImageHeaderInfo? Checked(ImageFormat format, uint width, uint height, out string? problem)
    {
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            problem = $"{format.ToString().ToUpperInvariant()} header declares an invalid size {width}×{height}";
            return null;
        }
        problem = null;
        return new ImageHeaderInfo(format, (int)width, (int)height);
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0) break;
            total += read;
        }
        return total;
    }
}
