namespace AttributionExplorer.Core.Images;

/// <summary>How large an image may be before anything decodes it: a decode allocates about 4 bytes per pixel, so
/// <see cref="MaxPixels"/> bounds its memory. Configured in appsettings.json under AttributionExplorer:ImageLimits.</summary>
public sealed class ImageLimits
{
    public long MaxBytes { get; set; } = 50L << 20;
    public int MaxSide { get; set; } = 8192;
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>The limit a declared size breaks, named, or null when it fits.</summary>
    public string? Check(int width, int height)
    {
        if (width > MaxSide || height > MaxSide) return $"{width}×{height} is over the limit of {MaxSide} pixels a side (ImageLimits.MaxSide)";
        if ((long)width * height > MaxPixels) return $"{width}×{height} = {(long)width * height} pixels is over the limit of {MaxPixels} pixels (ImageLimits.MaxPixels)";
        return null;
    }

    public string? CheckBytes(long bytes) =>
        bytes > MaxBytes ? $"{bytes} bytes is over the limit of {MaxBytes} bytes (ImageLimits.MaxBytes)" : null;
}

/// <summary>Limits for dataset images (import, training, TRAK) and for images uploaded to the web app.</summary>
public sealed class ImageLimitOptions
{
    public ImageLimits Dataset { get; set; } = new();
    public ImageLimits Upload { get; set; } = new() { MaxBytes = 20L << 20, MaxSide = 4096, MaxPixels = 4096L * 4096 };
}
