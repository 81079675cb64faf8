using AttributionExplorer.Core.Scores;
using AttributionExplorer.Worker.Bench.Scale;
using AttributionExplorer.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Bench.Scale;

/// <summary>`bench scale` at a tiny size, on each storage provider: the store is generated through the ports with the
/// asked shape, every measured page read returns what its page shows, a second run reuses the store, and a bad score
/// file is named. Timings are the CLI's business, not asserted here.</summary>
public abstract class ScaleBenchContract : IDisposable
{
    protected readonly string folder = Path.Combine(Path.GetTempPath(), $"ae-scale-{Guid.NewGuid():N}");
    private static readonly ScaleShape Tiny = new(Train: 2000, HeldOut: 50, Objects: 6000, TopK: 20, ScoreDtype.Float16, Seed: 3);
    private readonly List<ScaleStore> opened = [];

    /// <summary>A store on the provider under test whose score files go under <see cref="folder"/>; the same store each call.</summary>
    protected abstract ScaleStore OpenStore();

    private ScaleStore Store()
    {
        var store = OpenStore();
        opened.Add(store);
        return store;
    }

    /// <summary>Closes the connections of the stores opened so far (a second run opens the store afresh).</summary>
    protected virtual void CloseStores()
    {
        foreach (var store in opened) store.Dispose();
        opened.Clear();
    }

    [SkippableFact]
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

        CloseStores();
        var again = new List<string>();
        var second = ScaleBench.Run(Store(), Tiny, repeats: 1, again.Add);
        Assert.DoesNotContain(again, l => l.StartsWith("imported") || l.StartsWith("rank."));
        Assert.Contains(log, l => l.StartsWith("imported"));
        Assert.Equal(report.Figures.Select(f => f.Name), second.Figures.Select(f => f.Name));
    }

    [SkippableFact]
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

        string shard = Directory.GetFiles(folder, "*.aescores", SearchOption.AllDirectories).Single();
        using (var stream = new FileStream(shard, FileMode.Open)) stream.SetLength(stream.Length / 2);
        var error = Assert.Throws<InvalidDataException>(() => store.Scores.GetScores(targets[0].Id));
        Assert.Contains(shard, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    public virtual void Dispose()
    {
        CloseStores();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}

public sealed class SqliteScaleBenchTests : ScaleBenchContract
{
    protected override ScaleStore OpenStore() => ScaleStoreFactory.Open(ScaleStoreFactory.Sqlite, Path.Combine(folder, "scale.db"));

    protected override void CloseStores()
    {
        base.CloseStores();
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void AnUnknownOrMissingProviderIsAClearError()
    {
        Assert.Contains("--provider", Assert.Throws<ArgumentException>(() => ScaleStoreFactory.Open("oracle", "x")).Message);
        Assert.Contains("--connection", Assert.Throws<ArgumentException>(() => ScaleStoreFactory.Open(ScaleStoreFactory.Postgres, "")).Message);
        Assert.Contains("--data-root", Assert.Throws<ArgumentException>(() => ScaleStoreFactory.Open(ScaleStoreFactory.Postgres, "Host=127.0.0.1")).Message);
        Assert.Throws<ArgumentException>(() => ScaleBench.Run(OpenStore(), new ScaleShape(1, 50, 0, 20, ScoreDtype.Float16, 3), 1, _ => { }));
    }
}

/// <summary>The same on a fresh database of a throwaway PostgreSQL cluster (skipped without server binaries, failed
/// under AE_REQUIRE_POSTGRES=1), score files under the test's folder.</summary>
public sealed class PostgresScaleBenchTests : ScaleBenchContract
{
    private PostgresCluster.TestDatabase? database;

    // Made in the test, not the constructor, so a missing server skips the test.
    protected override ScaleStore OpenStore()
    {
        database ??= PostgresCluster.Require().CreateDatabase(migrated: false);
        return ScaleStoreFactory.Open(ScaleStoreFactory.Postgres, database.ConnectionString, Path.Combine(folder, "data"));
    }

    public override void Dispose()
    {
        base.Dispose();
        database?.Dispose();
    }
}
