using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class EvaluationStatisticsTests
{
    [Fact]
    public void StandardErrorIsSampleDeviationOverRootN()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
        var m = MeanWithError.Of([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5, m.Mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7 / 8), m.StandardError, 12);
        Assert.Equal(0, MeanWithError.Of([3.5]).StandardError);
        Assert.True(double.IsNaN(MeanWithError.Of([]).Mean));
    }

    [Fact]
    public void SubsetsAreSeededSortedAndOfSizeAlphaN()
    {
        var a = SubsetSampler.Sample(20, 0.5, 4, seed: 3);
        Assert.Equal(4, a.Length);
        Assert.All(a, s => { Assert.Equal(10, s.Length); Assert.Equal(s.Order(), s); Assert.Equal(10, s.Distinct().Count()); });
        Assert.Equal(a.Select(s => string.Join(",", s)), SubsetSampler.Sample(20, 0.5, 4, seed: 3).Select(s => string.Join(",", s)));
        Assert.NotEqual(string.Join(",", a[0]), string.Join(",", a[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubsetSampler.Sample(20, 1.0, 1, 0));
    }

    [Theory]
    [InlineData(37, 7, 37)]
    [InlineData(1, 7, 1)]
    [InlineData(64, 7, 64)]
    [InlineData(64, 8, 64)]
    public void BisectionFindsTheThresholdWhenTheBudgetAllows(int threshold, int budget, int expected)
    {
        var result = BisectionSearch.Run(64, budget, support => support >= threshold);
        Assert.Equal(expected, result.Smallest);
        Assert.True(result.Steps.Count <= budget);
        Assert.Equal(expected - 1, result.LowerBound);
    }

    [Fact]
    public void BisectionWithASmallBudgetReportsTheBracketAndUnbreakableTargetsReportNull()
    {
        var calls = new List<int>();
        var result = BisectionSearch.Run(64, 3, s => { calls.Add(s); return s >= 37; });
        Assert.Equal([64, 32, 48], calls);
        Assert.Equal(48, result.Smallest);
        Assert.Equal(32, result.LowerBound);

        var never = BisectionSearch.Run(64, 7, _ => false);
        Assert.Null(never.Smallest);
        Assert.Single(never.Steps);
    }
}
