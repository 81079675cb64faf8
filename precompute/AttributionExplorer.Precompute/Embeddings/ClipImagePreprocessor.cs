using SkiaSharp;

namespace AttributionExplorer.Precompute.Embeddings;

/// <summary>CLIP-style preprocessing: resize so the short side is S (high-quality filter), center-crop S×S at integer
/// offsets as torchvision's CenterCrop does, scale to [0,1] and normalize per channel. Writes CHW floats.</summary>
internal static class ClipImagePreprocessor
{
    public static void Load(string path, int size, float[] mean, float[] std, Span<float> destination)
    {
        if (destination.Length != 3 * size * size)
            throw new ArgumentException($"destination holds {destination.Length} floats, expected 3×{size}×{size}");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: image not found", path);
        using var source = SKBitmap.Decode(path)
            ?? throw new InvalidDataException($"{path}: not a decodable image (PNG/JPEG expected)");

        var (resizedWidth, resizedHeight) = ResizedSize(source.Width, source.Height, size);
        int left = (int)Math.Round((resizedWidth - size) / 2.0), top = (int)Math.Round((resizedHeight - size) / 2.0);
        using var target = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            using var paint = new SKPaint { FilterQuality = SKFilterQuality.High, IsAntialias = true };
            canvas.DrawBitmap(source, SKRect.Create(-left, -top, resizedWidth, resizedHeight), paint);
        }

        int plane = size * size;
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            var c = target.GetPixel(x, y);
            int i = y * size + x;
            destination[i] = (c.Red / 255f - mean[0]) / std[0];
            destination[plane + i] = (c.Green / 255f - mean[1]) / std[1];
            destination[2 * plane + i] = (c.Blue / 255f - mean[2]) / std[2];
        }
    }

    /// <summary>Short side becomes <paramref name="size"/>, the long side keeps the aspect ratio (truncated, as
    /// torchvision's Resize does).</summary>
    internal static (int Width, int Height) ResizedSize(int width, int height, int size) =>
        width <= height
            ? (size, Math.Max(size, (int)((long)size * height / width)))
            : (Math.Max(size, (int)((long)size * width / height)), size);
}
