using AttributionExplorer.Core.Stability;

namespace AttributionExplorer.Core.Tests.Stability;

public class ReliabilityTests
{
    [Theory]
    [InlineData(0.81, "stable", "stable 0.81")]
    [InlineData(0.7, "stable", "stable 0.70")]
    [InlineData(0.69, "moderate", "moderate 0.69")]
    [InlineData(0.3, "moderate", "moderate 0.30")]
    [InlineData(0.12, "noisy", "noisy 0.12")]
    [InlineData(-0.2, "noisy", "noisy -0.20")]
    [InlineData(-0.001, "noisy", "noisy 0.00")]
    public void TheBadgeNamesTheLevelAndTheFigure(double rho, string level, string badge)
    {
        var r = new Reliability(rho, "half A: seed 0; half B: seed 1");
        Assert.Equal(level, r.Level);
        Assert.Equal(badge, r.Badge);
        Assert.Contains("two disjoint halves", r.Explanation);
        Assert.Contains("half A: seed 0; half B: seed 1", r.Explanation);
    }

    [Fact]
    public void WithoutAFigureTheBadgeSaysSoAndTheTooltipSaysWhy()
    {
        var r = Reliability.OneModel("moco embedding");
        Assert.Equal("none", r.Level);
        Assert.Equal("no split-half", r.Badge);
        Assert.Equal("No split-half reliability: one moco embedding model: there is no ensemble to split into halves. " +
                     "(It is the Spearman correlation between a ranking computed from two disjoint halves of the checkpoint ensemble.)", r.Explanation);
    }
}
