using AttributionExplorer.Core.LabelErrors;

namespace AttributionExplorer.Core.Tests.LabelErrors;

public class InfluenceAggregationTests
{
    // Three targets × three train items; targets 0 and 2 are about class 1, target 1 about class 2.
    private static readonly float[][] Scores = [[1f, -2f, 0f], [-4f, 1f, 3f], [3f, -1f, -3f]];

    [Fact]
    public void NegatedMeanIsMinusTheMeanOverTargets()
    {
        var s = InfluenceAggregation.NegatedMean(Scores);
        Assert.Equal([0.0, 2 / 3.0, 0.0], s.Select(v => Math.Round(v, 12)).ToArray(), (x, y) => Math.Abs(x - y) < 1e-9);
    }

    [Fact]
    public void MostNegativeGroupMeanTakesTheWorstClassOfEachItem()
    {
        var s = InfluenceAggregation.NegatedMostNegativeGroupMean(Scores, [1, 2, 1]);
        // item 0: class 1 mean 2, class 2 mean −4 → 4; item 1: −1.5 and 1 → 1.5; item 2: −1.5 and 3 → 1.5.
        Assert.Equal([4.0, 1.5, 1.5], s);
    }

    [Fact]
    public void EffectOnOthersAveragesTheColumnWithoutTheDiagonal()
    {
        float[][] loss = [[9f, 1f, 2f], [3f, 9f, 4f], [5f, 6f, 9f]];
        var s = InfluenceAggregation.MeanEffectOnOthers(loss);
        Assert.Equal([(3 + 5) / 2.0, (1 + 6) / 2.0, (2 + 4) / 2.0], s);
    }

    [Fact]
    public void MismatchedGroupsAreRejected() =>
        Assert.Throws<ArgumentException>(() => InfluenceAggregation.NegatedMostNegativeGroupMean(Scores, [1, 2]));
}
