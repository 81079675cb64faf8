using AttributionExplorer.Core.Scores;
using AttributionExplorer.Worker.Bench.Scale;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Bench.Scale;

/// <summary>`bench scale` at a tiny size: the store is generated through the ports with the asked shape, every measured
/// page read returns what its page shows, a second run reuses the store, and a bad score file is named. Timings are
/// the CLI's business, not asserted here.</summary>
public sealed class ScaleBenchTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"ae-scale-{Guid.NewGuid():N}");
    private static readonly ScaleShape Tiny = new(Train: 2000, HeldOut: 50, Objects: 6000, TopK: 20, ScoreDtype.Float16, Seed: 3);

    private ScaleStore Store() => ScaleStoreFactory.Open(ScaleStoreFactory.Sqlite, Path.Combine(folder, "scale.db"));

    [Fact]
    public void EveryMeasuredReadHasThePagesShapeAndASecondRunReusesTheStore()
    {
        var log = new List<string>();
        var report = ScaleBench.Run(Store(), Tiny, repeats: 2, log.Add);

        PageShape Of(string prefix) => report.Figures.Single(f => f.Name.StartsWith(prefix)).Shape;
        Assert.Equal(new PageShape(24, 50), Of("gallery, first page"));
        Assert.Equal(new PageShape(2, 50), Of("gallery, last page (3)"));
        // Ten ranks of each sign; the deepest page of top-20 is ranks 11–20.
        Assert.Equal(new PageShape(20, 20), Of("influencers, both signs, ranks 1–10"));
        Assert.Equal(new PageShape(20, 20), Of("influencers, both signs, last rank page (2)"));
        Assert.Equal(new PageShape(50, 2000), Of("queue, first page"));
        Assert.Equal(new PageShape(50, 2000), Of("queue, last page (40)"));
        int unflagged = 2000 - 2000 / 200;
        Assert.Equal(new PageShape(unflagged % 50 == 0 ? 50 : unflagged % 50, unflagged), Of("queue, unflagged, last page"));
        // 6000 objects spread over 2050 images, training images first: 6000 / 2050 each, one more for the first 6000 % 2050.
        int trainObjects = Enumerable.Range(0, 2000).Sum(j => 6000 / 2050 + (j < 6000 % 2050 ? 1 : 0));
        Assert.Equal(new PageShape(50, trainObjects), Of("object queue, first page"));
        Assert.Equal(trainObjects % 50 == 0 ? 50 : trainObjects % 50, Of("object queue, last page").Items);
        Assert.InRange(Of("flag write").Items, 1, ScalePages.FlagHistoryShown);
        Assert.Equal(1000, Of("export").Items);
        Assert.Equal(12, report.Figures.Count);
        Assert.All(report.Figures, f => Assert.True(f.P50Ms <= f.P95Ms && f.P95Ms <= f.MaxMs && f.P50Ms >= 0));

        SqliteConnection.ClearAllPools();
        var again = new List<string>();
        var second = ScaleBench.Run(Store(), Tiny, repeats: 1, again.Add);
        Assert.DoesNotContain(again, l => l.StartsWith("imported") || l.StartsWith("rank."));
        Assert.Contains(log, l => l.StartsWith("imported"));
        Assert.Equal(report.Figures.Select(f => f.Name), second.Figures.Select(f => f.Name));
    }

    [Fact]
    public void TheScoresOfTheStoreRoundTripAndATruncatedShardIsNamed()
    {
        var store = Store();
        var data = ScaleStoreBuilder.Ensure(store, Tiny, _ => { });
        var targets = store.Scores.GetTargetsOfRun(data.TrakRunId);
        Assert.Equal(50, targets.Count);
        var scores = store.Scores.GetScores(targets[0].Id);
        Assert.Equal(2000, scores.Length);
        // The stored top-k is the largest of the stored row (ties: lower index first).
        var order = store.RankingRuns.GetTrainOrder(data.TrakRunId);
        var best = TopK.Largest(scores, Tiny.TopK).Select(i => order[i]);
        Assert.Equal(best, store.Scores.GetInfluencers(targets[0].Id, true, 0, Tiny.TopK).Select(i => i.TrainImageId));

        string shard = Directory.GetFiles(Path.Combine(folder, "scores"), "*.aescores", SearchOption.AllDirectories).Single();
        using (var stream = new FileStream(shard, FileMode.Open)) stream.SetLength(stream.Length / 2);
        var error = Assert.Throws<InvalidDataException>(() => store.Scores.GetScores(targets[0].Id));
        Assert.Contains(shard, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void AnUnknownOrMissingProviderIsAClearError()
    {
        Assert.Contains("--provider", Assert.Throws<ArgumentException>(() => ScaleStoreFactory.Open("oracle", "x")).Message);
        Assert.Throws<ArgumentException>(() => ScaleBench.Run(Store(), Tiny with { Train = 1 }, 1, _ => { }));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
