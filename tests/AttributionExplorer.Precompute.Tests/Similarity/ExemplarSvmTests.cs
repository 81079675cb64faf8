using AttributionExplorer.Precompute.Similarity;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Similarity;

public class ExemplarSvmTests
{
    private static double[][] RandomRows(Random random, int n, int d) =>
        Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();

    private static Tensor ToTensor(double[][] rows) => torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    private static double[] Normalize(double[] r)
    {
        double norm = Math.Sqrt(r.Sum(v => v * v));
        return r.Select(v => v / norm).ToArray();
    }

    [Theory]
    [InlineData(1, 3, 2, false, 1)]
    [InlineData(3, 12, 5, false, 2)]
    [InlineData(5, 40, 16, false, 3)]
    [InlineData(4, 25, 8, true, 4)]
    public void MatchesLiblinearStyleDualCoordinateDescent(int b, int n, int d, bool normalize, int seed)
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(seed);
        var queries = RandomRows(random, b, d);
        var negatives = RandomRows(random, n, d);
        var settings = new EsvmSettings(C: 0.1, Tolerance: 1e-10, L2NormalizeRows: normalize);
        var (w, bias) = ExemplarSvm.Fit(ToTensor(queries), ToTensor(negatives), settings);
        var values = ExemplarSvm.DecisionValues(w, bias, ToTensor(negatives), settings);

        for (int p = 0; p < b; p++)
        {
            var rows = new[] { queries[p] }.Concat(negatives).Select(r => normalize ? Normalize(r) : r).ToArray();
            var labels = new[] { 1 }.Concat(Enumerable.Repeat(-1, n)).ToArray();
            var weights = new[] { 0.1 * (n + 1) / 2.0 }.Concat(Enumerable.Repeat(0.1 * (n + 1) / (2.0 * n), n)).ToArray();
            var (wRef, biasRef) = DualCoordinateDescentSvm.Fit(rows, labels, weights);
            double scale = wRef.Select(Math.Abs).Append(Math.Abs(biasRef)).Max();
            for (int j = 0; j < d; j++) Assert.True(Math.Abs(w[p, j].item<double>() - wRef[j]) <= 1e-5 * scale, $"problem {p} w[{j}]: {w[p, j].item<double>()} vs {wRef[j]}");
            Assert.True(Math.Abs(bias[p].item<double>() - biasRef) <= 1e-5 * scale, $"problem {p} bias: {bias[p].item<double>()} vs {biasRef}");
            for (int i = 0; i < n; i++)
            {
                double expected = rows[i + 1].Zip(wRef).Sum(t => t.First * t.Second) + biasRef;
                Assert.True(Math.Abs(values[p, i].item<double>() - expected) <= 1e-5 * scale, $"problem {p} decision {i}");
            }
        }
    }

    [Fact]
    public void OnSeparableDataThePositiveScoresAboveEveryNegative()
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(9);
        var negatives = RandomRows(random, 30, 4).Select(r => r.Select(v => v - 3).ToArray()).ToArray();
        double[][] query = [[3, 3, 3, 3]];
        var settings = new EsvmSettings(L2NormalizeRows: false);
        var (w, bias) = ExemplarSvm.Fit(ToTensor(query), ToTensor(negatives), settings);
        double positive = ExemplarSvm.DecisionValues(w, bias, ToTensor(query), settings)[0, 0].item<double>();
        double maxNegative = ExemplarSvm.DecisionValues(w, bias, ToTensor(negatives), settings).max().item<double>();
        Assert.True(positive > maxNegative, $"{positive} vs {maxNegative}");
    }

    [Fact]
    public void RankerGroupsQueriesBySharedCandidatesAndMatchesSeparateFits()
    {
        var random = new Random(5);
        var pool = RandomRows(random, 10, 3).Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        var queries = RandomRows(random, 3, 3).Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        int[][] candidates = [[0, 1, 2, 3], [4, 5, 6], [0, 1, 2, 3]];
        var settings = new EsvmSettings();
        var together = EsvmRanker.DecisionValues(queries, pool, candidates, settings);
        for (int qi = 0; qi < 3; qi++)
        {
            var alone = EsvmRanker.DecisionValues([queries[qi]], pool, [candidates[qi]], settings)[0];
            Assert.Equal(candidates[qi].Length, together[qi].Length);
            for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], together[qi][i], 4);
        }
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ExemplarSvm.Fit(torch.zeros(2, 3), torch.zeros(4, 2), new EsvmSettings()));
        Assert.Throws<ArgumentException>(() => ExemplarSvm.Fit(torch.zeros(2, 3), torch.zeros(0, 3), new EsvmSettings()));
        Assert.Throws<ArgumentException>(() => EsvmRanker.DecisionValues([[1f]], [[1f]], [], new EsvmSettings()));
    }
}
