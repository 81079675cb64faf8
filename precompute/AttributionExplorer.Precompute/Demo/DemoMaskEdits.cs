namespace AttributionExplorer.Precompute.Demo;

/// <summary>Geometry edits that plant mask errors: part of a mask, a mask grown onto the background, a shape where
/// nothing is drawn. Masks are row-major size×size.</summary>
internal static class DemoMaskEdits
{
    /// <summary>The pixels on one side of a line through the mask's centroid at angle θ (the other side if that one is empty).</summary>
    public static bool[] HalfPlane(bool[] mask, int size, double angle)
    {
        double cx = 0, cy = 0;
        int count = 0;
        for (int p = 0; p < mask.Length; p++)
            if (mask[p]) { cx += p % size; cy += p / size; count++; }
        cx /= count; cy /= count;
        double ux = Math.Cos(angle), uy = Math.Sin(angle);
        var half = new bool[mask.Length];
        for (int p = 0; p < mask.Length; p++)
            half[p] = mask[p] && (p % size - cx) * ux + (p / size - cy) * uy > 0;
        if (!half.Any(b => b))
            for (int p = 0; p < mask.Length; p++) half[p] = mask[p];
        return half;
    }

    /// <summary>Every pixel within Chebyshev distance r of the mask.</summary>
    public static bool[] Dilate(bool[] mask, int size, int r)
    {
        var grown = new bool[mask.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                if (!mask[y * size + x]) continue;
                for (int yy = Math.Max(0, y - r); yy <= Math.Min(size - 1, y + r); yy++)
                    for (int xx = Math.Max(0, x - r); xx <= Math.Min(size - 1, x + r); xx++)
                        grown[yy * size + xx] = true;
            }
        return grown;
    }

    /// <summary>A random class's shape placed where no instance or crowd is drawn: the best of 20 seeded placements
    /// (most pixels free), with every drawn pixel removed.</summary>
    public static (DemoShapes.ShapeClass Class, bool[] Mask) OnBackground(DemoScene scene, Random random)
    {
        int size = scene.Size;
        var occupied = new bool[size * size];
        foreach (var d in scene.Instances.Concat(scene.CrowdParts))
            for (int p = 0; p < occupied.Length; p++) occupied[p] |= d.FullMask[p];
        var cls = DemoShapes.Classes[random.Next(DemoShapes.Classes.Length)];
        bool[]? best = null;
        int bestCount = -1;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            float r = size * (0.1f + 0.1f * (float)random.NextDouble());
            float cx = r + (float)random.NextDouble() * (size - 2 * r), cy = r + (float)random.NextDouble() * (size - 2 * r);
            using var path = DemoShapes.Path(cls.Name, cx, cy, r, (float)(random.NextDouble() * Math.PI * 2));
            var mask = DemoSceneRenderer.RenderMask(path, size);
            for (int p = 0; p < mask.Length; p++) mask[p] &= !occupied[p];
            int count = mask.Count(b => b);
            if (count > bestCount) (best, bestCount) = (mask, count);
        }
        if (bestCount <= 0) // a scene covered everywhere: one free pixel still makes an annotation on background
        {
            int free = Array.IndexOf(occupied, false);
            best = new bool[size * size];
            best[Math.Max(0, free)] = true;
        }
        return (cls, best!);
    }
}
