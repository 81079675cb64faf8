using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Tests.Domain;

public class InfluenceHistogramTests
{
    [Fact]
    public void BinsFiniteValuesWithTheMaximumInTheLastBin()
    {
        var h = InfluenceHistogram.Of([-1f, 0f, 0.5f, 2f, float.NaN, 2f], 3);
        Assert.Equal((-1.0, 2.0, 1.0), (h.Min, h.Max, h.BinWidth));
        Assert.Equal(new[] { 1, 2, 2 }, h.Counts);
        Assert.Empty(InfluenceHistogram.Of([float.NaN], 3).Counts);
        Assert.Throws<ArgumentOutOfRangeException>(() => InfluenceHistogram.Of([1f], 0));
    }
}
