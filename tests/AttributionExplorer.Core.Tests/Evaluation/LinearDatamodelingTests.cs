using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

/// <summary>LDS on 4 training examples, 4 subsets and 2 targets, against subset sums and Spearman's formula for
/// untied ranks (1 − 6Σd²/(n(n²−1))) worked out by hand.</summary>
public class LinearDatamodelingTests
{
    private static readonly int[][] Subsets = [[0, 1], [1, 2], [2, 3], [0, 3]];

    [Fact]
    public void PerTargetSpearmanOfSubsetSumsAgainstSubsetModelOutputs()
    {
        float[][] scores = [[1, 2, 3, 4], [4, 0, 0, 1]];
        // Target 0 sums: 3, 5, 7, 5 (a tie) → use target 1 for the untied formula; target 0 against outputs ranked like its sums.
        // Target 1 sums: 4, 0, 1, 5 → ranks 3, 1, 2, 4; outputs 0.3, 0.1, 0.4, 0.2 → ranks 3, 1, 4, 2; Σd² = 0+0+4+4 = 8;
        // ρ = 1 − 6·8/(4·15) = 0.2.
        double[][] actual = [[0.1, 0.3], [0.2, 0.1], [0.4, 0.4], [0.3, 0.2]];
        var perTarget = LinearDatamodeling.PerTarget(scores, Subsets, actual);
        // Target 0: sums 3, 5, 7, 5 → ranks 1, 2.5, 4, 2.5; outputs 0.1, 0.2, 0.4, 0.3 → ranks 1, 2, 4, 3: Pearson of ranks.
        double[] rx = [1, 2.5, 4, 2.5], ry = [1, 2, 4, 3];
        double mx = rx.Average(), my = ry.Average();
        double pearson = rx.Zip(ry).Sum(p => (p.First - mx) * (p.Second - my)) /
                         Math.Sqrt(rx.Sum(v => (v - mx) * (v - mx)) * ry.Sum(v => (v - my) * (v - my)));
        Assert.Equal(2, perTarget.Count);
        Assert.Equal(pearson, perTarget[0], 12);
        Assert.Equal(0.2, perTarget[1], 12);
        var score = LinearDatamodeling.Score(scores, Subsets, actual);
        Assert.Equal((pearson + 0.2) / 2, score.Mean, 12);
        Assert.Equal(Math.Abs(pearson - 0.2) / 2, score.StandardError, 12);
    }

    [Fact]
    public void ATargetWithConstantOutputsIsLeftOut()
    {
        var perTarget = LinearDatamodeling.PerTarget([[1, 2, 3, 4]], Subsets, [[1.0], [1.0], [1.0], [1.0]]);
        Assert.Empty(perTarget);
    }

    [Fact]
    public void MismatchedShapesAreRejected() =>
        Assert.Throws<ArgumentException>(() => LinearDatamodeling.PerTarget([[1, 2, 3, 4]], Subsets, [[1.0], [2.0]]));

    [Fact]
    public void PredictionsRankedLikeEveryOutputGiveTheIntervalOne()
    {
        float[][] scores = [[1, 2, 3, 4], [4, 0, 0, 1]];
        // Outputs ranked exactly like each target's subset sums (target 0: 3, 5, 7, 8 with subset 3 changed to avoid ties).
        int[][] subsets = [[0, 1], [1, 2], [2, 3], [0, 2, 3]];
        double[][] actual = [[0.3, 4], [0.5, 0], [0.7, 1], [0.8, 5]];
        var interval = LinearDatamodeling.SubsetBootstrap(scores, subsets, actual, resamples: 200);
        Assert.Equal(new Interval(1, 1, 1), interval);
    }

    /// <summary>The oracle is the experiment repeated: fresh subsets and fresh subset-model noise each time. Every target
    /// shares one noise term per subset model (as a badly trained subset model moves every target), so the SE over
    /// targets is far too small, while the bootstrap over subsets spreads like the repeated studies do.</summary>
    [Fact]
    public void TheIntervalOverSubsetsSpreadsLikeRepeatedStudiesWhereTheSeOverTargetsDoesNot()
    {
        const int train = 60, subsetCount = 30, targets = 60, studies = 40;
        var random = new Random(7);
        var weights = Enumerable.Range(0, targets).Select(_ => Enumerable.Range(0, train).Select(_ => (float)Gaussian(random)).ToArray()).ToArray();
        var means = new List<double>();
        var halfWidths = new List<double>();
        var standardErrors = new List<double>();
        for (int study = 0; study < studies; study++)
        {
            var subsets = SubsetSampler.Sample(train, 0.5, subsetCount, seed: 100 + study);
            var actual = subsets.Select(s =>
            {
                double shared = 8 * Gaussian(random);
                return Enumerable.Range(0, targets).Select(t => s.Sum(i => (double)weights[t][i]) + shared + Gaussian(random)).ToArray();
            }).ToArray();
            var score = LinearDatamodeling.Score(weights, subsets, actual);
            var interval = LinearDatamodeling.SubsetBootstrap(weights, subsets, actual, resamples: 200, seed: study);
            Assert.Equal(score.Mean, interval.Estimate, 12);
            Assert.True(interval.Low <= interval.Estimate && interval.Estimate <= interval.High, interval.ToString());
            means.Add(score.Mean);
            halfWidths.Add((interval.High - interval.Low) / 2);
            standardErrors.Add(score.StandardError);
        }
        double spread = Math.Sqrt(means.Sum(m => (m - means.Average()) * (m - means.Average())) / (studies - 1));
        double bootstrap = halfWidths.Average() / 1.96;
        Assert.InRange(bootstrap / spread, 0.6, 1.7);
        Assert.True(standardErrors.Average() < 0.5 * spread, $"SE over targets {standardErrors.Average():F3}, spread of studies {spread:F3}");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
