namespace AttributionExplorer.Core.Masks;

/// <summary>Rasterizes COCO polygons ([x1,y1,x2,y2,...] in pixel coordinates): pixel (x,y) is inside when its center
/// (x+0.5, y+0.5) is inside by the even-odd rule; several polygons of one object are unioned. pycocotools samples at
/// 5× resolution, so areas can differ from it by about a pixel per edge; this project uses this rasterizer everywhere.</summary>
public static class PolygonRasterizer
{
    public static bool[] Rasterize(IReadOnlyList<double[]> polygons, int height, int width)
    {
        var mask = new bool[height * width];
        var crossings = new List<double>();
        foreach (var poly in polygons)
        {
            if (poly.Length < 6 || poly.Length % 2 != 0)
                throw new ArgumentException($"a polygon needs an even number ≥ 6 of coordinates, got {poly.Length}");
            int n = poly.Length / 2;
            for (int y = 0; y < height; y++)
            {
                double cy = y + 0.5;
                crossings.Clear();
                for (int i = 0; i < n; i++)
                {
                    double x1 = poly[2 * i], y1 = poly[2 * i + 1];
                    double x2 = poly[2 * ((i + 1) % n)], y2 = poly[2 * ((i + 1) % n) + 1];
                    if ((y1 <= cy && y2 > cy) || (y2 <= cy && y1 > cy))
                        crossings.Add(x1 + (cy - y1) * (x2 - x1) / (y2 - y1));
                }
                crossings.Sort();
                for (int k = 0; k + 1 < crossings.Count; k += 2)
                {
                    // pixels whose centers lie in [left, right)
                    int from = Math.Max(0, (int)Math.Ceiling(crossings[k] - 0.5));
                    int to = Math.Min(width - 1, (int)Math.Ceiling(crossings[k + 1] - 0.5) - 1);
                    for (int x = from; x <= to; x++) mask[y * width + x] = true;
                }
            }
        }
        return mask;
    }
}
