using AttributionExplorer.Core.Images;
using SkiaSharp;

namespace AttributionExplorer.Web.Rendering;

public static class ImageFiles
{
    /// <summary>Downscales so the longer side is at most <paramref name="maxSide"/>, as PNG. The header is checked
    /// against <paramref name="limits"/> (dataset limits by default) before the decoder allocates.</summary>
    public static byte[] Thumbnail(string path, int maxSide, ImageLimits? limits = null)
    {
        var header = ImageHeader.TryReadFile(path, out string? problem) ?? throw new InvalidDataException($"{path}: {problem}");
        if ((limits ?? new ImageLimits()).Check(header.Width, header.Height) is { } over) throw new InvalidDataException($"{path}: {over}");
        using var source = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not a decodable image");
        double scale = Math.Min(1.0, (double)maxSide / Math.Max(source.Width, source.Height));
        using var resized = source.Resize(new SKImageInfo(Math.Max(1, (int)(source.Width * scale)), Math.Max(1, (int)(source.Height * scale))), SKFilterQuality.Medium);
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
