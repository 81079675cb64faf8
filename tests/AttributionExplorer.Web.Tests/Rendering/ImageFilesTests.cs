using AttributionExplorer.Tests.Shared;
using AttributionExplorer.Web.Rendering;
using SkiaSharp;

namespace AttributionExplorer.Web.Tests.Rendering;

public sealed class ImageFilesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-thumb").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ThumbnailsKeepTheAspectAndRefuseBombsFromTheHeader()
    {
        string small = Path.Combine(dir, "small.png"), bomb = Path.Combine(dir, "bomb.png");
        File.WriteAllBytes(small, PngBytes.Rgb(40, 20));
        File.WriteAllBytes(bomb, PngBytes.Rgb(100_000, 100_000, rowsToCompress: 1));
        using var thumbnail = SKBitmap.Decode(ImageFiles.Thumbnail(small, 10));
        Assert.Equal((10, 5), (thumbnail.Width, thumbnail.Height));
        var error = Assert.Throws<InvalidDataException>(() => ImageFiles.Thumbnail(bomb, 10));
        Assert.Equal($"{bomb}: 100000×100000 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)", error.Message);
    }
}
