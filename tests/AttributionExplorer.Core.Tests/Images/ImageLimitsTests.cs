using AttributionExplorer.Core.Images;

namespace AttributionExplorer.Core.Tests.Images;

public class ImageLimitsTests
{
    [Theory]
    [InlineData(8192, 4882, null)]
    [InlineData(8193, 10, "8193×10 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)")]
    [InlineData(100_000, 100_000, "100000×100000 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)")]
    [InlineData(8192, 8192, "8192×8192 = 67108864 pixels is over the limit of 40000000 pixels (ImageLimits.MaxPixels)")]
    public void DeclaredSizesAreCheckedAgainstSideAndPixelLimits(int width, int height, string? expected) =>
        Assert.Equal(expected, new ImageLimits().Check(width, height));

    [Fact]
    public void AProductPastInt32IsComputedInInt64()
    {
        var limits = new ImageLimits { MaxSide = 50_000, MaxPixels = 2_000_000_000 };
        Assert.Equal("46341×46341 = 2147488281 pixels is over the limit of 2000000000 pixels (ImageLimits.MaxPixels)", limits.Check(46341, 46341));
    }

    [Fact]
    public void UploadLimitsAreStricterThanDatasetLimits()
    {
        var options = new ImageLimitOptions();
        Assert.Equal((20L << 20, 4096), (options.Upload.MaxBytes, options.Upload.MaxSide));
        Assert.Equal("20971521 bytes is over the limit of 20971520 bytes (ImageLimits.MaxBytes)", options.Upload.CheckBytes((20L << 20) + 1));
        Assert.Null(options.Upload.CheckBytes(20L << 20));
    }
}
