using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Tests.Masks;

public class RasterAndLabelMapTests
{
    private static string Draw(bool[] mask, int w) =>
        string.Join("/", mask.Chunk(w).Select(r => new string(r.Select(b => b ? '#' : '.').ToArray())));

    [Fact]
    public void RectangleCoversPixelsWhoseCentersAreInside()
    {
        var mask = PolygonRasterizer.Rasterize([[1, 1, 3, 1, 3, 2, 1, 2]], 3, 4);
        Assert.Equal("..../.##./....", Draw(mask, 4));
    }

    [Fact]
    public void RightTriangleAndClippingAndUnion()
    {
        // triangle (0,0) (4,0) (0,4): pixel center inside when x+0.5 + y+0.5 < 4
        var tri = PolygonRasterizer.Rasterize([[0, 0, 4, 0, 0, 4]], 4, 4);
        Assert.Equal("###./##../#.../....", Draw(tri, 4));
        var clipped = PolygonRasterizer.Rasterize([[-5, -5, 2, -5, 2, 1, -5, 1]], 2, 3);
        Assert.Equal("##./...", Draw(clipped, 3));
        var union = PolygonRasterizer.Rasterize([[0, 0, 1, 0, 1, 1, 0, 1], [2, 1, 3, 1, 3, 2, 2, 2]], 2, 3);
        Assert.Equal("#../..#", Draw(union, 3));
        Assert.Throws<ArgumentException>(() => PolygonRasterizer.Rasterize([[0, 0, 1, 1]], 2, 2));
    }

    [Fact]
    public void SmallerInstancesWinAndCrowdIsIgnoredUnlessCovered()
    {
        bool[] big = [true, true, true, true], small = [false, true, false, false], crowd = [false, false, true, true];
        var labels = SemanticLabelMap.Build([(small, (byte)2, false, 1), (big, (byte)1, false, 4)], 2, 2);
        Assert.Equal(new byte[] { 1, 2, 1, 1 }, labels);
        var withCrowd = SemanticLabelMap.Build([(small, (byte)2, false, 1), (crowd, (byte)3, true, 2)], 2, 2);
        Assert.Equal(new byte[] { 0, 2, 255, 255 }, withCrowd);
    }

    [Fact]
    public void CenterCropPicksTheMiddleColumnsOfAWideImage()
    {
        // 2×4 image → short side 2 → scale 1, crop the middle 2 columns.
        byte[] labels = [1, 2, 3, 4, 5, 6, 7, 8];
        var g = CropGeometry.ResizeShortSideCenterCrop(2, 4, 2);
        Assert.Equal(new byte[] { 2, 3, 6, 7 }, g.ResampleLabels(labels, 2, 4));
        // 2×2 → 4×4 upsampling repeats each label in a 2×2 block.
        var up = CropGeometry.ResizeShortSideCenterCrop(2, 2, 4).ResampleLabels([1, 2, 3, 4], 2, 2);
        Assert.Equal(new byte[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, up);
    }
}

public class MaskBoundsTests
{
    [Fact]
    public void BoundingBoxIsInclusiveOfEdgePixels()
    {
        bool[] mask = [false, false, false, false, false, true, true, false, false, false, true, false];
        Assert.Equal(new double[] { 1, 1, 2, 2 }, MaskBounds.BoundingBox(mask, 3, 4));
        Assert.Equal(new double[] { 0, 0, 0, 0 }, MaskBounds.BoundingBox(new bool[4], 2, 2));
    }
}
