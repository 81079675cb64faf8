using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class MeanIntervalTests
{
    [Fact]
    public void FiveValuesGiveTheMeanPlusMinusTheTabulatedTTimesTheStandardError()
    {
        // 1…5: mean 3, s² = 2.5, SE = √(2.5/5) = 0.7071068; t(0.975, 4) = 2.776445 → half-width 1.963243.
        var interval = MeanInterval.Of([1.0, 2, 3, 4, 5]);
        Assert.Equal(3, interval.Mean, 12);
        Assert.Equal(0.7071068, interval.StandardError, 6);
        Assert.Equal(3 - 1.963243, interval.Low, 5);
        Assert.Equal(3 + 1.963243, interval.High, 5);
        Assert.Equal((5, 0.95), (interval.Count, interval.Level));
    }

    [Fact]
    public void PairedDifferenceIsTheIntervalOfThePerSeedDifferences()
    {
        // d = 0.02, 0.02, 0, 0.03, 0.01: mean 0.016, s = √(520e-6 / 4) = 0.0114018, SE = 0.0050990,
        // half-width 2.776445 × 0.0050990 = 0.0141572.
        double[] a = [0.50, 0.52, 0.49, 0.53, 0.51], b = [0.48, 0.50, 0.49, 0.50, 0.50];
        var difference = MeanInterval.PairedDifference(a, b);
        Assert.Equal(0.016, difference.Mean, 12);
        Assert.Equal(0.0050990, difference.StandardError, 6);
        Assert.Equal(0.0018429, difference.Low, 6);
        Assert.Equal(0.0301571, difference.High, 6);
        Assert.True(difference.ExcludesZero);
        // Unpaired, the same means have wider intervals: the pairing removes the seed-to-seed variation.
        Assert.True(MeanInterval.Of(a).High - MeanInterval.Of(a).Low > difference.High - difference.Low);
    }

    [Fact]
    public void ALevelOtherThan95PercentUsesItsOwnQuantile()
    {
        // 90%: t(0.95, 4) = 2.131847.
        var interval = MeanInterval.Of([1.0, 2, 3, 4, 5], 0.90);
        Assert.Equal(3 + 2.131847 * Math.Sqrt(0.5), interval.High, 5);
    }

    [Fact]
    public void OneValueHasNoInterval()
    {
        var interval = MeanInterval.Of([0.4]);
        Assert.Equal(0.4, interval.Mean);
        Assert.True(double.IsNaN(interval.Low) && double.IsNaN(interval.High));
        Assert.False(interval.ExcludesZero);
    }

    [Fact]
    public void UnpairedCountsAreRejected() =>
        Assert.Throws<ArgumentException>(() => MeanInterval.PairedDifference([1.0, 2], [1.0]));
}
