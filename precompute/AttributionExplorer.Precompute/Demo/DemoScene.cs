using SkiaSharp;

namespace AttributionExplorer.Precompute.Demo;

/// <summary>One drawn instance: its class, outline, full mask and visible (unoccluded) mask, row-major.</summary>
internal sealed record DrawnInstance(DemoShapes.ShapeClass Class, SKPath Path, bool[] FullMask, bool[] VisibleMask);

/// <summary>What was drawn in one image, before any label error is planted.</summary>
internal sealed record DemoScene(int Size, IReadOnlyList<DrawnInstance> Instances, IReadOnlyList<DrawnInstance> CrowdParts, DemoShapes.ShapeClass? CrowdClass);

internal static class DemoSceneRenderer
{
    public static bool[] RenderMask(SKPath path, int size)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = false, Style = SKPaintStyle.Fill };
            canvas.DrawPath(path, paint);
        }
        var bytes = bitmap.GetPixelSpan();
        var mask = new bool[size * size];
        for (int i = 0; i < mask.Length; i++) mask[i] = bytes[i] > 127;
        return mask;
    }

    /// <summary>Draws background and instances (in order, later occluding earlier) and encodes the PNG.</summary>
    public static byte[] RenderPng(DemoScene scene, Random random)
    {
        int size = scene.Size;
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            DrawBackground(canvas, size, random);
            foreach (var instance in scene.CrowdParts.Concat(scene.Instances))
                DrawInstance(canvas, instance, random);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void DrawBackground(SKCanvas canvas, int size, Random random)
    {
        byte Tone() => (byte)random.Next(60, 150);
        var a = new SKColor(Tone(), Tone(), Tone());
        var b = new SKColor(Tone(), Tone(), Tone());
        switch (random.Next(3))
        {
            case 0:
                using (var paint = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size, size), [a, b], SKShaderTileMode.Clamp) })
                    canvas.DrawRect(0, 0, size, size, paint);
                break;
            case 1:
                canvas.Clear(a);
                using (var stripe = new SKPaint { Color = b, IsAntialias = false })
                {
                    int period = random.Next(6, 14);
                    for (int x = -size; x < size; x += period)
                    {
                        using var band = new SKPath();
                        band.AddPoly([new SKPoint(x, 0), new SKPoint(x + period / 2, 0), new SKPoint(x + period / 2 + size, size), new SKPoint(x + size, size)], close: true);
                        canvas.DrawPath(band, stripe);
                    }
                }
                break;
            default:
                canvas.Clear(a);
                using (var dot = new SKPaint { IsAntialias = false })
                    for (int i = 0; i < size * size / 6; i++)
                    {
                        byte t = (byte)random.Next(40, 170);
                        dot.Color = new SKColor(t, t, t);
                        canvas.DrawRect(random.Next(size), random.Next(size), 1, 1, dot);
                    }
                break;
        }
    }

    private static void DrawInstance(SKCanvas canvas, DrawnInstance instance, Random random)
    {
        var c = instance.Class.Color;
        int jitter = random.Next(-20, 21);
        var color = new SKColor(Clamp(c.Red + jitter), Clamp(c.Green + jitter), Clamp(c.Blue + jitter));
        using var paint = new SKPaint { Color = color, IsAntialias = false, Style = SKPaintStyle.Fill };
        canvas.DrawPath(instance.Path, paint);
        if (!instance.Class.Striped) return;
        canvas.Save();
        canvas.ClipPath(instance.Path, antialias: false);
        using var stripe = new SKPaint { Color = color.WithAlpha(255).WithRed(Clamp(color.Red - 70)).WithGreen(Clamp(color.Green - 70)).WithBlue(Clamp(color.Blue - 70)), StrokeWidth = 2, IsAntialias = false };
        var bounds = instance.Path.Bounds;
        for (float y = bounds.Top; y < bounds.Bottom; y += 5) canvas.DrawLine(bounds.Left, y, bounds.Right, y, stripe);
        canvas.Restore();
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
