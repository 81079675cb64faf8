using AttributionExplorer.Core.Exports;

namespace AttributionExplorer.Core.Tests.Exports;

public class CuratedSubsetTests
{
    // Ten training images 10..19 given out of order; ranks (1 = most negative): 15, 12, 18, 10, 11, 13, 14, 16, 17, 19.
    private static readonly long[] Train = [14, 10, 19, 11, 15, 12, 18, 13, 17, 16];
    private static readonly (long, int)[] Ranks = [(15, 1), (12, 2), (18, 3), (10, 4), (11, 5), (13, 6), (14, 7), (16, 8), (17, 9), (19, 10)];
    private static readonly HashSet<long> None = [];

    [Fact]
    public void DropsTheFloorOfNTimesPercentMostNegativeAndReturnsTheRestAscending()
    {
        // 10·25/100 = 2.5 → 2: ranks 1 and 2 (images 15 and 12) go.
        Assert.Equal([10L, 11, 13, 14, 16, 17, 18, 19], CuratedSubset.Select(Train, Ranks, None, 25));
        // 10·39.9/100 = 3.99 → 3: 15, 12, 18 go.
        Assert.Equal([10L, 11, 13, 14, 16, 17, 19], CuratedSubset.Select(Train, Ranks, None, 39.9));
        // 10·9.99/100 < 1 → nothing goes.
        Assert.Equal(Train.Order().ToArray(), CuratedSubset.Select(Train, Ranks, None, 9.99));
    }

    [Fact]
    public void ZeroPercentKeepsAllButTheFlaggedAndNeedsNoRanks()
    {
        Assert.Equal([10L, 11, 12, 13, 14, 15, 16, 17, 18, 19], CuratedSubset.Select(Train, [], None, 0));
        Assert.Equal([10L, 11, 12, 13, 14, 16, 17, 18, 19], CuratedSubset.Select(Train, [], new HashSet<long> { 15 }, 0));
    }

    [Fact]
    public void HundredPercentKeepsNothing() => Assert.Empty(CuratedSubset.Select(Train, Ranks, None, 100));

    [Fact]
    public void FlaggedAndBottomAreDroppedAsAUnionWithoutDroppingExtraForTheOverlap()
    {
        // Bottom 20% = {15, 12}; flagged = {15, 11, 999 (not a training image)}; union {11, 12, 15}.
        var kept = CuratedSubset.Select(Train, Ranks, new HashSet<long> { 15, 11, 999 }, 20);
        Assert.Equal([10L, 13, 14, 16, 17, 18, 19], kept);
    }

    [Fact]
    public void RanksOfImagesOutsideTheTrainingListDoNotCountTowardsTheBottom()
    {
        // Image 99 holds rank 1 but is not a training image; the 2 lowest ranks among training images are 15 and 12.
        (long, int)[] ranks = [(99, 1), .. Ranks.Select(r => (r.Item1, r.Item2 + 1))];
        Assert.Equal([10L, 11, 13, 14, 16, 17, 18, 19], CuratedSubset.Select(Train, ranks, None, 25));
    }

    [Fact]
    public void ImagesWithoutARankAreNeverAmongTheBottom()
    {
        // Only 15, 12 and 18 are ranked (1, 2, 3). N = 10 so 50% means 5 to drop, but only the 3 ranked ones can go.
        Assert.Equal([10L, 11, 13, 14, 16, 17, 19], CuratedSubset.Select(Train, Ranks[..3], None, 50));
        // 20% → 2: the two lowest ranks, not the unranked images.
        Assert.Equal([10L, 11, 13, 14, 16, 17, 18, 19], CuratedSubset.Select(Train, Ranks[..3], None, 20));
    }

    [Theory]
    [InlineData(100, 29, 29)] // 100·0.29 is 28.999… in binary floating point
    [InlineData(100, 57, 57)]
    [InlineData(228, 5, 11)] // 11.4
    [InlineData(7, 14.3, 1)] // 1.001
    [InlineData(7, 14.28, 0)] // 0.9996
    [InlineData(3, 100, 3)]
    [InlineData(0, 50, 0)]
    public void BottomCountIsTheExactFloor(int n, double percent, int expected) =>
        Assert.Equal(expected, CuratedSubset.BottomCount(n, percent));

    [Fact]
    public void BadInputNamesTheArgument()
    {
        Assert.Contains("dropBottomPercent", Assert.Throws<ArgumentOutOfRangeException>(() => CuratedSubset.Select(Train, Ranks, None, 100.5)).Message);
        Assert.Contains("dropBottomPercent", Assert.Throws<ArgumentOutOfRangeException>(() => CuratedSubset.Select(Train, Ranks, None, double.NaN)).Message);
        Assert.Contains("trainIds: image 10", Assert.Throws<ArgumentException>(() => CuratedSubset.Select([10, 11, 10], [], None, 0)).Message);
        Assert.Contains("overallRanks: image 15 is ranked twice",
            Assert.Throws<ArgumentException>(() => CuratedSubset.Select(Train, [.. Ranks, (15, 11)], None, 10)).Message);
    }
}
