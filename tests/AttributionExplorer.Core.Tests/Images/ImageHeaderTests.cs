using System.Buffers.Binary;
using AttributionExplorer.Core.Images;
using AttributionExplorer.Tests.Shared;
using CsCheck;

namespace AttributionExplorer.Core.Tests.Images;

public class ImageHeaderTests
{
    [Fact]
    public void PngSizeComesFromIhdr()
    {
        var header = ImageHeader.TryRead(PngBytes.Rgb(7, 5), out string? problem);
        Assert.Null(problem);
        Assert.Equal(new ImageHeaderInfo(ImageFormat.Png, 7, 5), header);
    }

    [Fact]
    public void DecompressionBombIsMeasuredFromItsFirst24Bytes()
    {
        var bomb = PngBytes.Rgb(100_000, 100_000, rowsToCompress: 1);
        Assert.True(bomb.Length < 400, $"{bomb.Length} bytes");
        using var stream = new CountingStream(bomb);
        var header = ImageHeader.TryRead(stream, out _);
        Assert.Equal((100_000, 100_000, 10_000_000_000L), (header!.Width, header.Height, header.Pixels));
        Assert.Equal(24, stream.BytesRead);
        Assert.Contains("ImageLimits.MaxSide", new ImageLimits().Check(header.Width, header.Height));
    }

    [Fact]
    public void JpegSizeComesFromTheFrameHeaderAfterSkippedSegments()
    {
        // SOI, APP0 (JFIF), a 60 000-byte APP1 that is skipped by its length, fill bytes, SOF2 (progressive) 640×480.
        var jpeg = Jpeg(0xC2, width: 640, height: 480, app1Length: 60_000, fill: 3);
        using var stream = new CountingStream(jpeg);
        Assert.Equal(new ImageHeaderInfo(ImageFormat.Jpeg, 640, 480), ImageHeader.TryRead(stream, out _));
        Assert.True(stream.BytesRead < 100, $"{stream.BytesRead} bytes read");
    }

    [Theory]
    [InlineData(new byte[0], "not a PNG or JPEG image")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, "not a PNG or JPEG image")]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 }, "PNG without an IHDR header chunk")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00 }, "JPEG cut short before its frame header")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08 }, "JPEG without a frame header before its image data")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 0, 0, 0 }, "JPEG header declares an invalid size 0×0")]
    public void OtherBytesAreRefusedWithTheReason(byte[] bytes, string reason)
    {
        Assert.Null(ImageHeader.TryRead(bytes, out string? problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void AnyPngSizeRoundTripsThroughTheHeader() =>
        Gen.Select(Gen.Int[1, int.MaxValue], Gen.Int[1, int.MaxValue]).Sample((w, h) =>
        {
            var png = PngBytes.Rgb(1, 1);
            BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), w);
            BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), h);
            return ImageHeader.TryRead(png, out _) == new ImageHeaderInfo(ImageFormat.Png, w, h);
        }, iter: 1000);

    [Fact]
    public void AnyJpegFrameSizeIsFoundWhateverSegmentsComeFirst() =>
        Gen.Select(Gen.Int[1, 65535], Gen.Int[1, 65535], Gen.Int[2, 65535], Gen.Int[0, 5], Gen.OneOf(0xC0, 0xC1, 0xC2, 0xC3, 0xC9))
            .Sample((w, h, app1, fill, sof) =>
                ImageHeader.TryRead(Jpeg(sof, w, h, app1, fill), out _) == new ImageHeaderInfo(ImageFormat.Jpeg, w, h), iter: 300);

    [Fact]
    public void ArbitraryBytesGiveAHeaderOrAReasonAndNeverThrow() =>
        Gen.OneOf(
                Gen.Byte.Array[0, 64],
                Gen.Byte.Array[0, 64].Select(tail => new byte[] { 0xFF, 0xD8, 0xFF }.Concat(tail).ToArray()),
                Gen.Byte.Array[0, 64].Select(tail => PngBytes.Rgb(1, 1)[..16].Concat(tail).ToArray()))
            .Sample(bytes =>
            {
                var header = ImageHeader.TryRead(bytes, out string? problem);
                return header is null ? problem is { Length: > 0 } : header.Width > 0 && header.Height > 0 && problem is null;
            }, iter: 5000);

    [Fact]
    public void ANonSeekableStreamIsReadSegmentBySegment()
    {
        var jpeg = Jpeg(0xC0, 33, 17, app1Length: 5000, fill: 0);
        using var stream = new CountingStream(jpeg, seekable: false);
        Assert.Equal(new ImageHeaderInfo(ImageFormat.Jpeg, 33, 17), ImageHeader.TryRead(stream, out _));
    }

    private static byte[] Jpeg(int sof, int width, int height, int app1Length, int fill)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 };
        bytes.AddRange("JFIF\0"u8.ToArray());
        bytes.AddRange(new byte[] { 1, 1, 0, 0, 1, 0, 1, 0, 0 });
        bytes.AddRange(new byte[] { 0xFF, 0xE1, (byte)(app1Length >> 8 & 0xFF), (byte)(app1Length & 0xFF) });
        if (app1Length > 65535) throw new ArgumentOutOfRangeException(nameof(app1Length));
        bytes.AddRange(new byte[app1Length - 2]);
        for (int i = 0; i < fill; i++) bytes.Add(0xFF);
        bytes.AddRange(new byte[] { 0xFF, (byte)sof, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3 });
        bytes.AddRange(new byte[9]);
        bytes.AddRange(new byte[] { 0xFF, 0xD9 });
        return bytes.ToArray();
    }

    private sealed class CountingStream(byte[] bytes, bool seekable = true) : MemoryStream(bytes, writable: false)
    {
        public long BytesRead { get; private set; }
        public override bool CanSeek => seekable;
        public override int Read(byte[] buffer, int offset, int count) { int n = base.Read(buffer, offset, count); BytesRead += n; return n; }
        public override int ReadByte() { int b = base.ReadByte(); if (b >= 0) BytesRead++; return b; }
    }
}
