using AttributionExplorer.Web.Endpoints;
using SkiaSharp;

namespace AttributionExplorer.Web.Tests.Endpoints;

public class UploadEndpointsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-upload").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DecodableImagesAreStoredAsPngAndOthersAreRefusedByName()
    {
        using var bitmap = new SKBitmap(7, 5);
        bitmap.Erase(new SKColor(10, 200, 30));
        using var jpeg = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 90);
        var (name, width, height, error) = UploadEndpoints.Store(jpeg.ToArray(), "photo.jpg", dir);
        Assert.Null(error);
        Assert.Equal((7, 5), (width, height));
        using var stored = SKBitmap.Decode(Path.Combine(dir, name!));
        Assert.Equal((7, 5), (stored.Width, stored.Height));

        var bad = UploadEndpoints.Store("not an image"u8.ToArray(), "notes.txt", dir);
        Assert.Contains("'notes.txt' is not a decodable image", bad.Error);
        Assert.Single(Directory.GetFiles(dir));
    }
}
