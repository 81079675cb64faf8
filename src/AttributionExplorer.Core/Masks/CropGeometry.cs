namespace AttributionExplorer.Core.Masks;

/// <summary>Resize-short-side-then-center-crop to Size×Size: destination pixel center (u+½, v+½) comes from source
/// ((u+½+OffsetX)/Scale, (v+½+OffsetY)/Scale). The image loader applies the same mapping to pixels.</summary>
public sealed record CropGeometry(double Scale, double OffsetX, double OffsetY, int Size)
{
    public static CropGeometry ResizeShortSideCenterCrop(int srcHeight, int srcWidth, int size)
    {
        double scale = (double)size / Math.Min(srcHeight, srcWidth);
        return new CropGeometry(scale, (srcWidth * scale - size) / 2, (srcHeight * scale - size) / 2, size);
    }

    /// <summary>Nearest-neighbour resampling of a label map (labels must never be interpolated).</summary>
    public byte[] ResampleLabels(byte[] labels, int srcHeight, int srcWidth)
    {
        if (labels.Length != srcHeight * srcWidth) throw new ArgumentException("label map size does not match its dimensions");
        var result = new byte[Size * Size];
        for (int v = 0; v < Size; v++)
        {
            int sy = Math.Clamp((int)Math.Floor((v + 0.5 + OffsetY) / Scale), 0, srcHeight - 1);
            for (int u = 0; u < Size; u++)
            {
                int sx = Math.Clamp((int)Math.Floor((u + 0.5 + OffsetX) / Scale), 0, srcWidth - 1);
                result[v * Size + u] = labels[sy * srcWidth + sx];
            }
        }
        return result;
    }
}
