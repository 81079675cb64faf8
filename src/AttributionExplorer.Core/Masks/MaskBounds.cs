namespace AttributionExplorer.Core.Masks;

public static class MaskBounds
{
    /// <summary>COCO bbox [x, y, width, height] of a row-major mask; all zeros for an empty mask.</summary>
    public static double[] BoundingBox(ReadOnlySpan<bool> rowMajor, int height, int width)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (rowMajor[y * width + x]) { minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y); }
        return maxX < 0 ? [0, 0, 0, 0] : [minX, minY, maxX - minX + 1, maxY - minY + 1];
    }
}
