using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class DetectionMetricsTests
{
    // Scores 0.9, 0.8, 0.7, 0.6, 0.5 with positives at ranks 1, 3 and 4.
    private static readonly double[] Scores = [0.5, 0.9, 0.6, 0.7, 0.8];
    private static readonly bool[] Positives = [false, true, true, true, false];

    [Fact]
    public void PrecisionAndRecallAtKCountHitsInTheFirstK()
    {
        Assert.Equal([1.0, 0.5, 2 / 3.0, 0.75, 0.6], DetectionMetrics.PrecisionCurve(Scores, Positives), new ToleranceComparer());
        Assert.Equal(2 / 3.0, DetectionMetrics.PrecisionAt(Scores, Positives, 3), 12);
        Assert.Equal(2 / 3.0, DetectionMetrics.RecallAt(Scores, Positives, 3), 12);
        Assert.Equal(0.6, DetectionMetrics.PrecisionAt(Scores, Positives, 50), 12);
    }

    [Fact]
    public void AurocIsTheMannWhitneyProbabilityWithTiesAsHalf()
    {
        // Pairs (positive, negative): 0.9 beats both; 0.7 beats 0.5 not 0.8; 0.6 beats 0.5 not 0.8 → 4 of 6.
        Assert.Equal(4 / 6.0, DetectionMetrics.Auroc(Scores, Positives), 12);
        Assert.Equal(0.5, DetectionMetrics.Auroc([1, 1, 1, 1], [true, false, true, false]), 12);
        Assert.Equal(1.0, DetectionMetrics.Auroc([3, 2, 1], [true, false, false]), 12);
        Assert.True(double.IsNaN(DetectionMetrics.Auroc([1, 2], [false, false])));
    }

    [Fact]
    public void AveragePrecisionAveragesPrecisionAtEachHit()
    {
        Assert.Equal((1.0 + 2 / 3.0 + 0.75) / 3, DetectionMetrics.AveragePrecision(Scores, Positives), 12);
        Assert.Equal(1.0, DetectionMetrics.AveragePrecision([3, 2, 1], [true, true, false]), 12);
    }

    [Fact]
    public void MismatchedLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => DetectionMetrics.Auroc([1, 2], [true]));

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;
        public int GetHashCode(double obj) => 0;
    }
}
