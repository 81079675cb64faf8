using AttributionExplorer.Core.Images;
using AttributionExplorer.Tests.Shared;
using AttributionExplorer.Web.Endpoints;
using CsCheck;
using SkiaSharp;

namespace AttributionExplorer.Web.Tests.Endpoints;

public class UploadEndpointsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-upload").FullName;
    private static readonly ImageLimits Limits = new ImageLimitOptions().Upload;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DecodableImagesAreStoredAsPngAndOthersAreRefusedByName()
    {
        using var bitmap = new SKBitmap(7, 5);
        bitmap.Erase(new SKColor(10, 200, 30));
        using var jpeg = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 90);
        var (name, width, height, error, status) = UploadEndpoints.Store(jpeg.ToArray(), "photo.jpg", dir, Limits);
        Assert.Null(error);
        Assert.Equal((7, 5, 200), (width, height, status));
        using var stored = SKBitmap.Decode(Path.Combine(dir, name!));
        Assert.Equal((7, 5), (stored.Width, stored.Height));

        var bad = UploadEndpoints.Store("not an image"u8.ToArray(), "notes.txt", dir, Limits);
        Assert.Equal(("file: 'notes.txt' is not a PNG or JPEG image (PNG or JPEG expected)", 422), (bad.Error, bad.Status));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void ADecompressionBombIsRefusedWith422BeforeAnyDecode()
    {
        var bomb = PngBytes.Rgb(100_000, 100_000, rowsToCompress: 1);
        Assert.True(bomb.Length < 400, $"{bomb.Length} bytes");
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var refused = UploadEndpoints.Store(bomb, "bomb.png", dir, Limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(("file: 'bomb.png' is 100000×100000 is over the limit of 4096 pixels a side (ImageLimits.MaxSide)", 422), (refused.Error, refused.Status));
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void BytesOverTheLimitAre413()
    {
        var png = PngBytes.Rgb(8, 8);
        var refused = UploadEndpoints.Store(png, "big.png", dir, new ImageLimits { MaxBytes = png.Length - 1 });
        Assert.Equal(413, refused.Status);
        Assert.EndsWith($"is over the limit of {png.Length - 1} bytes (ImageLimits.MaxBytes)", refused.Error);
    }

    [Fact]
    public void AHeaderThatDisagreesWithTheImageIsRefused()
    {
        var png = PngBytes.Rgb(8, 8);
        png[19] = 9; // IHDR width 8 → 9: the CRC no longer matches and the codec must not be trusted with it
        var refused = UploadEndpoints.Store(png, "odd.png", dir, Limits);
        Assert.Equal(422, refused.Status);
        Assert.Empty(Directory.GetFiles(dir));
    }

    /// <summary>Encoded by SkiaSharp (an independent writer): the header reader agrees with the encoder's size, and
    /// arbitrary bytes never reach a decoder unless their header fits the limits.</summary>
    [Fact]
    public void HeadersOfEncodedImagesMatchTheEncoder() =>
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 300], Gen.Bool).Sample((w, h, png) =>
        {
            using var bitmap = new SKBitmap(w, h);
            using var data = SKImage.FromBitmap(bitmap).Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 80);
            var header = ImageHeader.TryRead(data.ToArray(), out _);
            return header == new ImageHeaderInfo(png ? ImageFormat.Png : ImageFormat.Jpeg, w, h);
        }, iter: 60, threads: 1);

    [Fact]
    public void ArbitraryUploadsAreStoredOrRefusedWith413Or422() =>
        Gen.OneOf(Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 200].Select(tail => PngBytes.Rgb(3, 2)[..33].Concat(tail).ToArray()))
            .Sample(bytes =>
            {
                var result = UploadEndpoints.Store(bytes, "x", dir, Limits);
                return result.Error is null ? result.Status == 200 : result.Status is 413 or 422;
            }, iter: 500, threads: 1);
}
