using AttributionExplorer.Core.Training;

namespace AttributionExplorer.Core.Tests.Training;

public class LearningRateSchedulesTests
{
    [Theory]
    [InlineData(0, 8, 1.0)]                    // starts at the full rate
    [InlineData(4, 8, 0.5)]                    // half-way: cos(π/2) = 0
    [InlineData(2, 8, 0.85355339059327373)]    // ½(1 + cos(π/4)) = ½ + √2/4
    [InlineData(7, 8, 0.038060233744356631)]   // ½(1 + cos(7π/8)), the last batch, near zero
    public void CosineFollowsItsClosedForm(int step, int total, double fraction) =>
        Assert.Equal(2e-3 * fraction, LearningRateSchedules.CosineRate(2e-3, step, total), 15);

    [Fact]
    public void CosineFallsMonotonicallyAndRefusesStepsOutsideTheRun()
    {
        var rates = Enumerable.Range(0, 100).Select(s => LearningRateSchedules.CosineRate(1, s, 100)).ToArray();
        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second < pair.First));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.CosineRate(1, 100, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.CosineRate(1, -1, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.CosineRate(1, 0, 0));
    }

    [Theory]
    [InlineData(0, 4, 0.25)]
    [InlineData(1, 4, 0.5)]
    [InlineData(3, 4, 1.0)]
    [InlineData(4, 4, 1.0)]
    [InlineData(9, 4, 1.0)]
    [InlineData(0, 0, 1.0)]
    public void WarmupRisesLinearlyToTheScheduledRateAndThenLeavesIt(int step, int warmupSteps, double factor) =>
        Assert.Equal(factor, LearningRateSchedules.WarmupFactor(step, warmupSteps), 15);
}
