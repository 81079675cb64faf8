using SkiaSharp;

namespace AttributionExplorer.Precompute.Demo;

/// <summary>The demo's eight classes: shape, COCO id (non-contiguous on purpose) and colour family.</summary>
internal static class DemoShapes
{
    public sealed record ShapeClass(int CocoId, string Name, SKColor Color, bool Striped);

    public static readonly ShapeClass[] Classes =
    [
        new(1, "circle", new SKColor(220, 60, 50), false),
        new(2, "square", new SKColor(50, 110, 220), false),
        new(3, "triangle", new SKColor(240, 200, 40), false),
        new(5, "star", new SKColor(160, 70, 200), false),
        new(7, "ring", new SKColor(40, 180, 90), false),
        new(11, "cross", new SKColor(240, 130, 30), true),
        new(13, "hexagon", new SKColor(30, 190, 200), true),
        new(17, "crescent", new SKColor(230, 90, 170), true),
    ];

    /// <summary>Outline of a shape centred at (cx, cy) with radius r and rotation (radians).</summary>
    public static SKPath Path(string name, float cx, float cy, float r, float rotation)
    {
        SKPath Polygon(int n, Func<int, float> radius)
        {
            var path = new SKPath();
            for (int i = 0; i < n; i++)
            {
                double a = rotation + 2 * Math.PI * i / n;
                var p = new SKPoint(cx + radius(i) * (float)Math.Cos(a), cy + radius(i) * (float)Math.Sin(a));
                if (i == 0) path.MoveTo(p); else path.LineTo(p);
            }
            path.Close();
            return path;
        }
        switch (name)
        {
            case "circle": return Polygon(32, _ => r);
            case "square": return Polygon(4, _ => r * 1.15f);
            case "triangle": return Polygon(3, _ => r * 1.2f);
            case "star": return Polygon(10, i => i % 2 == 0 ? r * 1.2f : r * 0.5f);
            case "hexagon": return Polygon(6, _ => r);
            case "cross":
            {
                float a = r, b = r * 0.38f;
                var path = new SKPath();
                SKPoint[] pts = [new(-b, -a), new(b, -a), new(b, -b), new(a, -b), new(a, b), new(b, b), new(b, a), new(-b, a), new(-b, b), new(-a, b), new(-a, -b), new(-b, -b)];
                var rot = SKMatrix.CreateRotation(rotation);
                path.AddPoly(pts.Select(p => rot.MapPoint(p) + new SKPoint(cx, cy)).ToArray(), close: true);
                return path;
            }
            case "ring":
            {
                var path = Polygon(32, _ => r);
                using var hole = Polygon(32, _ => r * 0.55f);
                return path.Op(hole, SKPathOp.Difference);
            }
            case "crescent":
            {
                var path = Polygon(32, _ => r);
                using var bite = new SKPath();
                bite.AddCircle(cx + r * 0.5f * (float)Math.Cos(rotation), cy + r * 0.5f * (float)Math.Sin(rotation), r * 0.85f);
                return path.Op(bite, SKPathOp.Difference);
            }
            default: throw new ArgumentException($"unknown demo shape {name}");
        }
    }

    /// <summary>True for shapes whose outline is one simple polygon (usable directly as a COCO polygon).</summary>
    public static bool IsSimplePolygon(string name) => name is not ("ring" or "crescent");
}
