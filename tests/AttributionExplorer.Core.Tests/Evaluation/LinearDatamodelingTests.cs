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
}
