using AttributionExplorer.Core.Images;
using SkiaSharp;

namespace AttributionExplorer.Precompute.Data;

/// <summary>Decodes an image, resizes its short side to S and center-crops S×S (dst = src·scale − offset, the same
/// geometry as Core's CropGeometry for label maps), returning CHW floats normalized with ImageNet statistics. The
/// header is read first: an image over the limits is refused before the decoder allocates for it.</summary>
public static class ImagePixelLoader
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    public static float[] Load(string path, int size, ImageLimits? limits = null)
    {
        limits ??= new ImageLimits();
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"{path}: image file does not exist", path);
        if (limits.CheckBytes(file.Length) is { } tooLarge) throw new InvalidDataException($"{path}: {tooLarge}");
        var header = ImageHeader.TryReadFile(path, out string? problem) ?? throw new InvalidDataException($"{path}: {problem}");
        if (limits.Check(header.Width, header.Height) is { } over) throw new InvalidDataException($"{path}: {over}");
        using var source = SKBitmap.Decode(path)
            ?? throw new InvalidDataException($"{path}: not a decodable image (PNG/JPEG expected)");
        if (source.Width != header.Width || source.Height != header.Height)
            throw new InvalidDataException($"{path}: decoded {source.Width}×{source.Height}, but its header declares {header.Width}×{header.Height}");
        float scale = (float)size / Math.Min(source.Width, source.Height);
        float offX = (source.Width * scale - size) / 2f, offY = (source.Height * scale - size) / 2f;
        using var target = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            canvas.Translate(-offX, -offY);
            canvas.Scale(scale);
            using var paint = new SKPaint { FilterQuality = SKFilterQuality.Medium, IsAntialias = true };
            canvas.DrawBitmap(source, 0, 0, paint);
        }
        var result = new float[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            var c = target.GetPixel(x, y);
            int i = y * size + x;
            result[i] = (c.Red / 255f - Mean[0]) / Std[0];
            result[plane + i] = (c.Green / 255f - Mean[1]) / Std[1];
            result[2 * plane + i] = (c.Blue / 255f - Mean[2]) / Std[2];
        }
        return result;
    }
}
