using SkiaSharp;

namespace AttributionExplorer.Web.Rendering;

public static class ImageFiles
{
    /// <summary>Downscales so the longer side is at most <paramref name="maxSide"/>, as PNG.</summary>
    public static byte[] Thumbnail(string path, int maxSide)
    {
        using var source = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not a decodable image");
        double scale = Math.Min(1.0, (double)maxSide / Math.Max(source.Width, source.Height));
        using var resized = source.Resize(new SKImageInfo(Math.Max(1, (int)(source.Width * scale)), Math.Max(1, (int)(source.Height * scale))), SKFilterQuality.Medium);
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
