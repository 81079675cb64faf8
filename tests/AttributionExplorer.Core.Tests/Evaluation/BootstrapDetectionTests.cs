using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class BootstrapDetectionTests
{
    [Fact]
    public void PointFiguresEqualThePairwiseAurocAndTheDetectionMetrics()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = 30 + trial;
            // Scores on a coarse grid, so many ties.
            var scores = Enumerable.Range(0, n).Select(_ => (double)random.Next(6)).ToArray();
            var positives = Enumerable.Range(0, n).Select(i => i % 4 == 0).ToArray();
            var f = BootstrapDetection.Evaluate(scores, positives, resamples: 10, seed: trial);
            Assert.Equal(DetectionMetrics.Auroc(scores, positives), f.Auroc.Estimate, 12);
            Assert.Equal(DetectionMetrics.AveragePrecision(scores, positives), f.AveragePrecision.Estimate, 12);
            Assert.Equal(DetectionMetrics.PrecisionAt(scores, positives, (int)Math.Ceiling(0.05 * n)), f.PrecisionAt5Percent.Estimate, 12);
        }
    }

    [Fact]
    public void ResampledAurocEqualsTheBruteForceOnTheSameMultiset()
    {
        var random = new Random(2);
        var scores = Enumerable.Range(0, 25).Select(_ => (double)random.Next(5)).ToArray();
        var positives = Enumerable.Range(0, 25).Select(i => i % 3 == 0).ToArray();
        var draw = Enumerable.Range(0, 25).Select(_ => random.Next(25)).ToArray();
        var (auroc, _, _) = BootstrapDetection.Figures(scores, positives, draw);
        double wins = 0, pairs = 0;
        foreach (int p in draw.Where(i => positives[i]))
            foreach (int q in draw.Where(i => !positives[i]))
            {
                pairs++;
                wins += scores[p] > scores[q] ? 1 : scores[p] == scores[q] ? 0.5 : 0;
            }
        Assert.Equal(wins / pairs, auroc, 12);
    }

    [Fact]
    public void APerfectDetectorHasADegenerateIntervalAtOne()
    {
        var positives = Enumerable.Range(0, 40).Select(i => i < 4).ToArray();
        var scores = Enumerable.Range(0, 40).Select(i => -(double)i).ToArray();
        var f = BootstrapDetection.Evaluate(scores, positives, resamples: 200);
        Assert.Equal(new Interval(1, 1, 1), f.Auroc);
        Assert.Equal(new Interval(1, 1, 1), f.AveragePrecision);
        Assert.Equal(1, f.PrecisionAt5Percent.Estimate);
    }

    [Fact]
    public void IntervalsContainTheEstimateAndNarrowWithMoreItems()
    {
        var random = new Random(3);
        double Width(int n)
        {
            var positives = Enumerable.Range(0, n).Select(i => i % 5 == 0).ToArray();
            var scores = positives.Select(p => (p ? 1.0 : 0.0) + random.NextDouble() * 2).ToArray();
            var f = BootstrapDetection.Evaluate(scores, positives, resamples: 400, seed: 1);
            Assert.InRange(f.Auroc.Estimate, f.Auroc.Low, f.Auroc.High);
            return f.Auroc.High - f.Auroc.Low;
        }
        Assert.True(Width(1000) < Width(50) / 2);
    }

    [Fact]
    public void TheDifferenceOfADetectorWithItselfIsExactlyZero()
    {
        var positives = Enumerable.Range(0, 30).Select(i => i % 3 == 0).ToArray();
        var scores = Enumerable.Range(0, 30).Select(i => Math.Sin(i)).ToArray();
        Assert.Equal(new Interval(0, 0, 0), PairedBootstrap.AveragePrecisionDifference(scores, scores, positives, 100));
        var perfect = positives.Select(p => p ? 1.0 : 0.0).ToArray();
        var d = PairedBootstrap.AveragePrecisionDifference(perfect, scores, positives, 300);
        Assert.True(d.Low > 0, d.ToString());
    }
}
