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

    /// <summary>The pixels where label and prediction differ, hatched black and white in diagonal stripes two pixels
    /// wide: no class colour looks like it, and it reads on light and dark images alike.</summary>
    public static byte[] Disagreement(bool[] differs, int height, int width)
    {
        var pixels = new SKColor[differs.Length];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            if (differs[y * width + x]) pixels[y * width + x] = (x + y) % 4 < 2 ? DisagreementLight : DisagreementDark;
        return Encode(pixels, height, width);
    }

    public static readonly SKColor DisagreementLight = new(255, 255, 255, 230);
    public static readonly SKColor DisagreementDark = new(0, 0, 0, 230);
    public static readonly SKColor Dimmed = new(0, 0, 0, 150);

    /// <summary>Marks a selection: everything outside it dimmed, its boundary drawn twice — white inside, black just
    /// outside — so the outline shows on any background and over any class colour.</summary>
    public static byte[] Focus(bool[] selected, int height, int width)
    {
        var pixels = new SKColor[selected.Length];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int i = y * width + x;
            // A pixel is on the edge when a 4-neighbour inside the image is on the other side of the selection.
            bool edge = (x > 0 && selected[i - 1] != selected[i]) || (x < width - 1 && selected[i + 1] != selected[i])
                        || (y > 0 && selected[i - width] != selected[i]) || (y < height - 1 && selected[i + width] != selected[i]);
            pixels[i] = selected[i] ? (edge ? SKColors.White : SKColors.Transparent) : (edge ? SKColors.Black : Dimmed);
        }
        return Encode(pixels, height, width);
    }

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
