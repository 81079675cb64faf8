using AttributionExplorer.Precompute.LabelErrors;

namespace AttributionExplorer.Precompute.Tests.LabelErrors;

public class OutOfSampleConfidenceTests
{
    [Fact]
    public void FoldsPartitionTheItemsInBalancedSeededFolds()
    {
        var folds = OutOfSampleConfidence.Folds(23, 4, seed: 9);
        Assert.Equal(23, folds.Length);
        var sizes = folds.GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0, 1, 2, 3], sizes.Keys.Order());
        Assert.InRange(sizes.Values.Max() - sizes.Values.Min(), 0, 1);
        Assert.Equal(folds, OutOfSampleConfidence.Folds(23, 4, seed: 9));
        Assert.NotEqual(folds, OutOfSampleConfidence.Folds(23, 4, seed: 10));
    }

    [Fact]
    public void FewerThanTwoFoldsAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OutOfSampleConfidence.Folds(10, 1, 0));
}
