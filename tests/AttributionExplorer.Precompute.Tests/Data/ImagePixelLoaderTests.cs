using AttributionExplorer.Core.Images;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Tests.Shared;

namespace AttributionExplorer.Precompute.Tests.Data;

public sealed class ImagePixelLoaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-pixels").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ABombIsRefusedFromItsHeaderNamingTheLimit()
    {
        string path = Write("bomb.png", PngBytes.Rgb(100_000, 100_000, rowsToCompress: 1));
        var error = Assert.Throws<InvalidDataException>(() => ImagePixelLoader.Load(path, 8));
        Assert.Equal($"{path}: 100000×100000 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)", error.Message);
    }

    [Fact]
    public void ConfiguredLimitsApply()
    {
        string path = Write("small.png", PngBytes.Rgb(6, 4));
        Assert.Equal(3 * 8 * 8, ImagePixelLoader.Load(path, 8).Length);
        var error = Assert.Throws<InvalidDataException>(() => ImagePixelLoader.Load(path, 8, new ImageLimits { MaxPixels = 23 }));
        Assert.EndsWith("6×4 = 24 pixels is over the limit of 23 pixels (ImageLimits.MaxPixels)", error.Message);
        Assert.EndsWith("is over the limit of 10 bytes (ImageLimits.MaxBytes)",
            Assert.Throws<InvalidDataException>(() => ImagePixelLoader.Load(path, 8, new ImageLimits { MaxBytes = 10 })).Message);
    }

    [Fact]
    public void NonImagesAreNamed()
    {
        string path = Write("notes.png", "hello"u8.ToArray());
        Assert.Equal($"{path}: not a PNG or JPEG image", Assert.Throws<InvalidDataException>(() => ImagePixelLoader.Load(path, 8)).Message);
    }
}
