using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Web.Endpoints;

namespace AttributionExplorer.Web.Tests.Endpoints;

public class RegionJobsTests
{
    private static readonly ImageRecord Image = new(7, 1, 70, Splits.Val, "a.png", 5, 4);

    [Fact]
    public void ABoxBecomesTheRleOfThePixelsItCoversClippedToTheImage()
    {
        Assert.Null(RegionJobs.Build(Image, new JobEndpoints.RegionRequest(3.5, -2, 10, 3, null, "box"), out var request));
        var mask = RleCodec.Decode(new RleMask(request!.Height, request.Width, RleCodec.FromCompressedString(request.RleCounts)));
        // Columns 3..4 (x from 3.5 rounds out to pixel 3), rows 0..0 (y + h = 1).
        var expected = new bool[4 * 5];
        expected[3] = expected[4] = true;
        Assert.Equal(expected, mask);
        Assert.Equal((7L, 4, 5, "box"), (request.ImageId, request.Height, request.Width, request.Label));
    }

    [Fact]
    public void BadRegionsNameTheField()
    {
        Assert.Contains("does not overlap", RegionJobs.Build(Image, new JobEndpoints.RegionRequest(9, 0, 2, 2, null, null), out _));
        Assert.Contains("either x, y, width and height", RegionJobs.Build(Image, new JobEndpoints.RegionRequest(1, 1, null, 2, null, null), out _));
        string wrongSize = RleCodec.ToCompressedString(RleCodec.Encode(new bool[6], 2, 3).Counts);
        Assert.StartsWith("rleCounts", RegionJobs.Build(Image, new JobEndpoints.RegionRequest(null, null, null, null, wrongSize, null), out _));
        string empty = RleCodec.ToCompressedString(RleCodec.Encode(new bool[20], 4, 5).Counts);
        Assert.Contains("empty", RegionJobs.Build(Image, new JobEndpoints.RegionRequest(null, null, null, null, empty, null), out _));
    }
}
