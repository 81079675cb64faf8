using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class CurationTableTests
{
    // Three seeds; baseline 0.50, 0.52, 0.54. At 50%: suspect +0.03, +0.01, +0.02 over the baseline; confidence
    // 0.51, 0.52, 0.56; random 0.47, 0.50, 0.50.
    private static readonly double[] Baseline = [0.50, 0.52, 0.54];
    private static readonly Dictionary<(string, int), double[]> PerSeed = new()
    {
        [("suspect", 50)] = [0.53, 0.53, 0.56],
        [("confidence", 50)] = [0.51, 0.52, 0.56],
        [("random", 50)] = [0.47, 0.50, 0.50],
    };

    private static (IReadOnlyList<CurationCell> Cells, IReadOnlyList<CurationDifference> Differences) Build() =>
        CurationTable.Build(["suspect", "confidence", "random"], [(50, 10)], Baseline, PerSeed, "random", "confidence", 0.95);

    [Fact]
    public void EachCellIsTheMeanWithItsTIntervalOverSeeds()
    {
        var suspect = Build().Cells.Single(c => c.Order == "suspect");
        // 0.53, 0.53, 0.56: mean 0.54, s = √(0.0006 / 2) = 0.0173205, SE = 0.01; t(0.975, 2) = 4.302653.
        Assert.Equal((50, 10), (suspect.PercentRemoved, suspect.Removed));
        Assert.Equal(0.54, suspect.MeanIou.Mean, 12);
        Assert.Equal(0.01, suspect.MeanIou.StandardError, 9);
        Assert.Equal(0.54 - 0.04302653, suspect.MeanIou.Low, 7);
        Assert.Equal(0.54 + 0.04302653, suspect.MeanIou.High, 7);
        Assert.Equal([0.53, 0.53, 0.56], suspect.PerSeed);
    }

    [Fact]
    public void DifferencesArePairedBySeedAgainstNoneRandomAndConfidence()
    {
        var differences = Build().Differences.ToDictionary(d => (d.Order, d.Against), d => d.Difference);
        // suspect − none: 0.03, 0.01, 0.02 → mean 0.02, s = 0.01, SE = 0.0057735, half-width 4.302653 × SE = 0.0248414.
        var gain = differences[("suspect", CurationTable.None)];
        Assert.Equal(0.02, gain.Mean, 12);
        Assert.Equal(0.02 - 0.0248414, gain.Low, 6);
        Assert.Equal(0.02 + 0.0248414, gain.High, 6);
        // suspect − random: 0.06, 0.03, 0.06 → mean 0.05, s = √(0.0006 / 2) = 0.0173205, SE = 0.01.
        Assert.Equal(0.05, differences[("suspect", "random")].Mean, 12);
        Assert.Equal(0.01, differences[("suspect", "random")].StandardError, 9);
        // suspect − confidence: 0.02, 0.01, 0 → mean 0.01, SE = 0.0057735.
        Assert.Equal(0.01, differences[("suspect", "confidence")].Mean, 12);
        Assert.Equal(0.0057735, differences[("suspect", "confidence")].StandardError, 6);
        // Confidence is compared with none and random, not with itself; random with none only.
        Assert.True(differences.ContainsKey(("confidence", "random")));
        Assert.False(differences.ContainsKey(("confidence", "confidence")));
        Assert.Equal([CurationTable.None], differences.Keys.Where(k => k.Order == "random").Select(k => k.Against));
        Assert.Equal(3 + 2 + 1, differences.Count);
    }

    [Fact]
    public void AMissingSeedIsAnError() =>
        Assert.Throws<ArgumentException>(() => CurationTable.Build(["random"], [(10, 2)], Baseline,
            new Dictionary<(string, int), double[]> { [("random", 10)] = [0.5, 0.5] }, "random", null, 0.95));
}
