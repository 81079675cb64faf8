using AttributionExplorer.Core.LabelErrors;

namespace AttributionExplorer.Core.Tests.LabelErrors;

public class RankCombinationTests
{
    [Fact]
    public void NormalizedRanksGiveTheMostSuspectOneAndTiesTheirMeanRank()
    {
        // Ascending: 0.1 (rank 1), 0.5 and 0.5 (ranks 2, 3 → 2.5), 0.9 (rank 4); divided by n = 4.
        var ranks = RankCombination.NormalizedRanks([0.5, 0.9, 0.1, 0.5]);
        Assert.Equal([2.5 / 4, 1.0, 0.25, 2.5 / 4], ranks);
    }

    [Fact]
    public void MaxOfRanksFlagsAnItemThatEitherDetectorRanksFirst()
    {
        double[] a = [3, 2, 1, 0], b = [0, 1, 2, 3];
        var combined = RankCombination.MaxOfRanks(a, b);
        // Items 0 and 3 each have a normalized rank of 1 in one detector: they come first, ahead of items 1 and 2 (0.75).
        Assert.True(combined[0] > combined[1] && combined[3] > combined[2]);
        Assert.Equal(combined[0], combined[3], 12);
        Assert.InRange(combined[0] - 1.0, 0, 1.0 / 4 / 4);
        Assert.InRange(combined[1] - 0.75, 0, 1.0 / 4 / 4);
    }

    [Fact]
    public void MaxOfRanksBreaksTiesOfTheMaximumByTheMeanRank()
    {
        double[] a = [4, 3, 2, 1], b = [1, 4, 3, 2];
        // Items 0 (a) and 1 (b) both reach rank 1; item 1 is also high in a (0.75), item 0 low in b (0.25).
        var combined = RankCombination.MaxOfRanks(a, b);
        Assert.True(combined[1] > combined[0]);
        Assert.True(combined[0] > combined[2]);
    }

    [Fact]
    public void MeanOfRanksIsTheBordaCount()
    {
        var combined = RankCombination.MeanOfRanks([1.0, 2, 3], [3.0, 1, 2]);
        Assert.Equal([(1 / 3.0 + 1) / 2, (2 / 3.0 + 1 / 3.0) / 2, (1 + 2 / 3.0) / 2], combined);
    }

    [Fact]
    public void DetectorsOfDifferentLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => RankCombination.MaxOfRanks([1.0, 2], [1.0]));
}
