using AttributionExplorer.Core.Masks;
using AttributionExplorer.Web.Endpoints;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>Inputs found while reviewing RegionJobs for the malformed-request corpus (an overflowing counts sum was a
/// 500, an infinite box was accepted): each is now a named 400 message.</summary>
public class RegionJobsRefusalTests
{
    private static readonly Core.Domain.ImageRecord Image = new(1, 1, 1, "val", "a.png", 3, 2);

    private static string? Build(JobEndpoints.RegionRequest body) => RegionJobs.Build(Image, body, out _);

    [Fact]
    public void CountsWhoseSumOverflowsInt32AreRefused() =>
        Assert.StartsWith("rleCounts: ", Build(new(null, null, null, null, RleCodec.ToCompressedString([int.MaxValue, int.MaxValue]), null)));

    [Theory]
    [InlineData(double.PositiveInfinity, 0, 1, 1)]
    [InlineData(0, 0, double.PositiveInfinity, 1)]
    [InlineData(0, double.NegativeInfinity, 1, 1)]
    [InlineData(0, 0, 1, double.NaN)]
    public void NonFiniteBoxesAreRefused(double x, double y, double w, double h) =>
        Assert.Equal("x, y, width, height: must be finite numbers", Build(new(x, y, w, h, null, null)));

    [Fact]
    public void LabelsAreBounded()
    {
        Assert.Null(Build(new(0, 0, 1, 1, null, new string('l', 200))));
        Assert.Equal("label: 201 characters is over the limit of 200", Build(new(0, 0, 1, 1, null, new string('l', 201))));
    }
}
