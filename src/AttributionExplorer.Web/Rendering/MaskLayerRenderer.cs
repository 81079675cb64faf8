using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using SkiaSharp;

namespace AttributionExplorer.Web.Rendering;

/// <summary>Transparent RGBA PNG layers: each class in its palette colour, crowd regions grey; the browser scales
/// and fades them with CSS, so toggles never re-render pixels.</summary>
public static class MaskLayerRenderer
{
    public static readonly SKColor CrowdColor = new(128, 128, 128, 160);

    /// <summary>Layer key of crowd regions in <see cref="GroundTruth"/>'s class filter.</summary>
    public const int CrowdLayer = 255;
    private const int Empty = -1;

    /// <param name="onlyClass">Keep one class (model index, or <see cref="CrowdLayer"/>); null keeps all.</param>
    /// <param name="outline">Only the boundary pixels of each region (a pixel whose 4-neighbour has another label or lies outside).</param>
    public static byte[] GroundTruth(int height, int width, IEnumerable<AnnotationRecord> annotations, IReadOnlyDictionary<int, int> modelIndexByCocoId,
        int? onlyClass = null, bool outline = false)
    {
        var labels = new int[height * width];
        Array.Fill(labels, Empty);
        // Same overlap rule as training: crowd first, then larger instances under smaller ones.
        var ordered = annotations.OrderByDescending(a => a.IsCrowd).ThenByDescending(a => a.Area);
        foreach (var a in ordered)
        {
            if (a.Mask.Height != height || a.Mask.Width != width) continue;
            int label = a.IsCrowd ? CrowdLayer : modelIndexByCocoId.GetValueOrDefault(a.CategoryCocoId);
            var mask = RleCodec.Decode(a.Mask);
            for (int i = 0; i < mask.Length; i++) if (mask[i]) labels[i] = label;
        }
        return Render(labels, height, width, onlyClass, outline);
    }

    public static byte[] Prediction(PredictionRecord prediction, int? onlyClass = null, bool outline = false) =>
        Render(prediction.Labels.Select(l => l == 0 ? Empty : (int)l).ToArray(), prediction.Height, prediction.Width, onlyClass, outline);

    private static byte[] Render(int[] labels, int height, int width, int? onlyClass, bool outline)
    {
        var pixels = new SKColor[labels.Length];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int i = y * width + x, l = labels[i];
            if (l == Empty || (onlyClass is { } only && l != only)) continue;
            if (outline && !IsBoundary(labels, height, width, x, y)) continue;
            pixels[i] = l == CrowdLayer ? CrowdColor : ClassPalette.For(l);
        }
        return Encode(pixels, height, width);
    }

    private static bool IsBoundary(int[] labels, int height, int width, int x, int y)
    {
        int l = labels[y * width + x];
        return x == 0 || y == 0 || x == width - 1 || y == height - 1
               || labels[y * width + x - 1] != l || labels[y * width + x + 1] != l
               || labels[(y - 1) * width + x] != l || labels[(y + 1) * width + x] != l;
    }

    private static byte[] Encode(SKColor[] pixels, int height, int width)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, pixels[y * width + x]);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
