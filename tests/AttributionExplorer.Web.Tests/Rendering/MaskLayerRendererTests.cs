using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Web.Rendering;
using SkiaSharp;

namespace AttributionExplorer.Web.Tests.Rendering;

public class MaskLayerRendererTests
{
    [Fact]
    public void GroundTruthLayerColoursClassPixelsAndLeavesTheRestTransparent()
    {
        // 2×3 image: a class-1 instance on the left column, a crowd region on the right column.
        var left = RleCodec.Encode([true, false, false, true, false, false], 2, 3);
        var right = RleCodec.Encode([false, false, true, false, false, true], 2, 3);
        AnnotationRecord[] annotations =
        [
            new(1, 9, 1, 5, false, left, [0, 0, 1, 2], 2),
            new(2, 9, 2, 7, true, right, [2, 0, 1, 2], 2),
        ];
        var png = MaskLayerRenderer.GroundTruth(2, 3, annotations, new Dictionary<int, int> { [5] = 1, [7] = 2 });
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(3, bitmap.Width);
        var expected = ClassPalette.For(1);
        var c = bitmap.GetPixel(0, 1);
        Assert.Equal((expected.Red, expected.Green, expected.Blue, (byte)255), (c.Red, c.Green, c.Blue, c.Alpha));
        Assert.Equal(0, bitmap.GetPixel(1, 0).Alpha);
        Assert.Equal(MaskLayerRenderer.CrowdColor.Alpha, bitmap.GetPixel(2, 0).Alpha);
    }

    [Fact]
    public void ClassLayersKeepOneClassAndOutlinesKeepOnlyBoundaryPixels()
    {
        // 5×5 prediction: a 4×4 block of class 2 in the top-left, one pixel of class 4 at the bottom-right.
        var labels = new byte[25];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) labels[y * 5 + x] = 2;
        labels[24] = 4;
        var prediction = new PredictionRecord(1, 2, 5, 5, labels);

        using var onlyFour = SKBitmap.Decode(MaskLayerRenderer.Prediction(prediction, onlyClass: 4));
        Assert.Equal(0, onlyFour.GetPixel(0, 0).Alpha);
        Assert.Equal(255, onlyFour.GetPixel(4, 4).Alpha);

        using var outline = SKBitmap.Decode(MaskLayerRenderer.Prediction(prediction, onlyClass: 2, outline: true));
        int opaque = 0;
        for (int y = 0; y < 5; y++) for (int x = 0; x < 5; x++) if (outline.GetPixel(x, y).Alpha > 0) opaque++;
        Assert.Equal(12, opaque);                     // the 4×4 block's ring; its 2×2 interior is transparent
        Assert.Equal(0, outline.GetPixel(1, 1).Alpha);
        Assert.Equal(255, outline.GetPixel(3, 0).Alpha);
    }

    [Fact]
    public void PredictionLayerUsesThePaletteOfEachLabel()
    {
        var png = MaskLayerRenderer.Prediction(new PredictionRecord(1, 2, 2, 1, [0, 3]));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(0, bitmap.GetPixel(0, 0).Alpha);
        Assert.Equal(ClassPalette.For(3).Red, bitmap.GetPixel(1, 0).Red);
    }
}

public class ReviewLayerRenderingTests
{
    [Fact]
    public void DisagreementIsHatchedBlackAndWhiteAndTransparentElsewhere()
    {
        using var bitmap = SKBitmap.Decode(MaskLayerRenderer.Disagreement([true, true, true, false], 2, 2));
        Assert.Equal((2, 2), (bitmap.Width, bitmap.Height));
        // Diagonal stripes two pixels wide: (x + y) mod 4 < 2 is white.
        Assert.Equal(MaskLayerRenderer.DisagreementLight, bitmap.GetPixel(0, 0));
        Assert.Equal(MaskLayerRenderer.DisagreementLight, bitmap.GetPixel(1, 0));
        Assert.Equal(MaskLayerRenderer.DisagreementLight, bitmap.GetPixel(0, 1));
        Assert.Equal(0, bitmap.GetPixel(1, 1).Alpha);
        using var wide = SKBitmap.Decode(MaskLayerRenderer.Disagreement(Enumerable.Repeat(true, 4).ToArray(), 1, 4));
        Assert.Equal(MaskLayerRenderer.DisagreementDark, wide.GetPixel(2, 0));
    }

    [Fact]
    public void FocusKeepsTheSelectionClearOutlinesItAndDimsTheRest()
    {
        // 5×5 with a 3×3 selection in the middle: its ring is outlined white, the ring around it black, the corners
        // of the image dimmed, the selection's centre untouched.
        var selected = new bool[25];
        for (int y = 1; y <= 3; y++) for (int x = 1; x <= 3; x++) selected[y * 5 + x] = true;
        using var bitmap = SKBitmap.Decode(MaskLayerRenderer.Focus(selected, 5, 5));
        Assert.Equal(0, bitmap.GetPixel(2, 2).Alpha);
        Assert.Equal(SKColors.White, bitmap.GetPixel(1, 1));
        Assert.Equal(SKColors.White, bitmap.GetPixel(2, 1));
        Assert.Equal(SKColors.Black, bitmap.GetPixel(2, 0));
        Assert.Equal(SKColors.Black, bitmap.GetPixel(0, 2));
        Assert.Equal(MaskLayerRenderer.Dimmed, bitmap.GetPixel(0, 0)); // only diagonal to the selection
    }
}
