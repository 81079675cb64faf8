using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Stability;

namespace AttributionExplorer.Core.Tests.Stability;

public class SplitHalfTests
{
    private static CheckpointRecord Checkpoint(long id, int seed) => new(id, 1, seed, $"c{id}.bin", 0.5, "{}", 1, DateTime.UnixEpoch, RunId: 100 + seed);

    [Fact]
    public void RunsAlternateBetweenTheHalvesInSeedOrderAndARunsCheckpointsStayTogether()
    {
        // Seeds 3, 1, 2 with two trajectory checkpoints each, listed out of order.
        var checkpoints = new[] { Checkpoint(10, 3), Checkpoint(11, 1), Checkpoint(12, 2), Checkpoint(13, 1), Checkpoint(14, 3), Checkpoint(15, 2) };

        var halves = SplitHalf.Split(checkpoints, out _)!;

        Assert.Equal(new[] { 0, 1, 3, 4 }, halves.A);   // seeds 1 and 3
        Assert.Equal(new[] { 2, 5 }, halves.B);         // seed 2
        Assert.Equal("half A: seeds 1, 3 (4 checkpoints); half B: seed 2 (2 checkpoints)", halves.Description);
    }

    [Fact]
    public void OneTrainingRunHasNoHalvesEvenWithSeveralCheckpoints()
    {
        Assert.Null(SplitHalf.Split([Checkpoint(1, 7), Checkpoint(2, 7), Checkpoint(3, 7)], out string reason));
        Assert.Contains("one training run (seed 7, 3 checkpoints)", reason);
        Assert.Null(SplitHalf.Split([], out reason));
        Assert.Equal("no checkpoints", reason);
    }

    [Fact]
    public void CompareIsSpearmanOfTheTwoHalves()
    {
        // No ties: rank differences 1, 1, 1, 1 → 1 − 6·4 / (4·15) = 0.6.
        Assert.Equal(0.6, SplitHalf.Compare([1, 2, 3, 4], [2, 1, 4, 3], "h").SplitHalf!.Value, 12);
        // Ties share their mean rank: ranks of b are 1, 2, 3.5, 5, 3.5 → 8 / √(10 · 9.5).
        Assert.Equal(8 / Math.Sqrt(95), SplitHalf.Compare([1, 2, 3, 4, 5], [5, 6, 7, 8, 7], "h").SplitHalf!.Value, 12);
        Assert.Equal(-1, SplitHalf.Compare([1, 2, 3], [30, 20, 10], "h").SplitHalf!.Value, 12);
    }

    [Fact]
    public void CompareLeavesNaNItemsOutAndSaysWhyThereIsNoFigure()
    {
        // Items 1 and 3 are NaN in one half: the rest, [1, 3, 4, 5] vs [1, 3, 5, 4], gives 1 − 6·2 / (4·15) = 0.8.
        var r = SplitHalf.Compare([1, 2, 3, double.NaN, 4, 5], [1, double.NaN, 3, 9, 5, 4], "h");
        Assert.Equal(0.8, r.SplitHalf!.Value, 12);
        Assert.Equal("h", r.Detail);

        var constant = SplitHalf.Compare([1, 2, 3], [4, 4, 4], "halves");
        Assert.Null(constant.SplitHalf);
        Assert.Contains("constant", constant.Detail);
        Assert.Contains("fewer than 3", SplitHalf.Compare([1, 2], [2, 1], "h").Detail);
        Assert.Throws<ArgumentException>(() => SplitHalf.Compare([1, 2, 3], [1, 2], "h"));
    }

    [Fact]
    public void MeasureRunsTheDetectorOnEachHalf()
    {
        var checkpoints = new[] { Checkpoint(1, 0), Checkpoint(2, 1), Checkpoint(3, 0), Checkpoint(4, 1) };
        var seen = new List<long[]>();
        var reliability = SplitHalf.Measure(checkpoints, half =>
        {
            seen.Add(half.Select(c => c.Id).ToArray());
            return half[0].Seed == 0 ? [1.0, 2, 3, 4] : [2.0, 1, 4, 3];
        });

        Assert.Equal(new[] { new long[] { 1, 3 }, new long[] { 2, 4 } }, seen);
        Assert.Equal(0.6, reliability.SplitHalf!.Value, 12);
        Assert.Equal("half A: seed 0 (2 checkpoints); half B: seed 1 (2 checkpoints)", reliability.Detail);

        var single = SplitHalf.Measure([Checkpoint(1, 0)], _ => throw new InvalidOperationException("a detector needs no halves here"));
        Assert.Null(single.SplitHalf);
        Assert.Contains("one training run", single.Detail);
    }

    [Fact]
    public void PerRowComparesEachTargetAndColumnMeansAverageOverTargets()
    {
        // Two targets × four training images, row-major.
        float[] a = [1, 2, 3, 4, /**/ 4, 3, 2, 1];
        float[] b = [2, 1, 4, 3, /**/ 1, 2, 3, 4];
        var rows = SplitHalf.PerRow(a, b, 2, 4, "h");
        Assert.Equal(0.6, rows[0].SplitHalf!.Value, 12);
        Assert.Equal(-1, rows[1].SplitHalf!.Value, 12);
        Assert.Throws<ArgumentException>(() => SplitHalf.PerRow(a, b, 2, 3, "h"));

        Assert.Equal(new[] { 2.5, 2.5, 2.5, 2.5 }, SplitHalf.ColumnMeans(a, 2, 4));
        var withNaN = SplitHalf.ColumnMeans([1, float.NaN, 3, float.NaN], 2, 2);
        Assert.Equal(2, withNaN[0]);
        Assert.True(double.IsNaN(withNaN[1]));
    }
}
