using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using SkiaSharp;

namespace AttributionExplorer.Web.Rendering;

/// <summary>Transparent RGBA PNG layers: each class in its palette colour, crowd regions grey; the browser scales
/// and fades them with CSS, so toggles never re-render pixels.</summary>
public static class MaskLayerRenderer
{
    public static readonly SKColor CrowdColor = new(128, 128, 128, 160);

    public static byte[] GroundTruth(int height, int width, IEnumerable<AnnotationRecord> annotations, IReadOnlyDictionary<int, int> modelIndexByCocoId)
    {
        var labels = new SKColor[height * width];
        // Same overlap rule as training: crowd first, then larger instances under smaller ones.
        var ordered = annotations.OrderByDescending(a => a.IsCrowd).ThenByDescending(a => a.Area);
        foreach (var a in ordered)
        {
            if (a.Mask.Height != height || a.Mask.Width != width) continue;
            var color = a.IsCrowd ? CrowdColor : ClassPalette.For(modelIndexByCocoId.GetValueOrDefault(a.CategoryCocoId));
            var mask = RleCodec.Decode(a.Mask);
            for (int i = 0; i < mask.Length; i++) if (mask[i]) labels[i] = color;
        }
        return Encode(labels, height, width);
    }

    public static byte[] Prediction(PredictionRecord prediction)
    {
        var pixels = prediction.Labels.Select(l => ClassPalette.For(l)).ToArray();
        return Encode(pixels, prediction.Height, prediction.Width);
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
