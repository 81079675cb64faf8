using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using Dapper;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Dense scores in shard files under the data root (SQLite migration 15, PostgreSQL 2): the database keeps the
/// top-k, the rankings and their histogram; legacy rows of `scores` are still read; queue pages are rank ranges.</summary>
public abstract class ScoreFilesContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private static (float[] A, float[] B) TwoTargets() => ([4f, -1f, 0f, 1f], [0f, 1f, -2f, 3f]);

    [SkippableFact]
    public void ScoresGoToAShardFileUnderTheDataRootAndNotIntoTheDatabase()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (a, b) = TwoTargets();
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), a), (ImageTarget(d.Val[1]), b)], ScoreDtype.Float32, 2).Run.Id;

        using var c = s.OpenConnection();
        Assert.Equal(0, c.ExecuteScalar<int>("SELECT COUNT(*) FROM scores"));
        string stored = c.ExecuteScalar<string>("SELECT path FROM score_shards WHERE run_id = @run", new { run })!;
        Assert.StartsWith($"scores/run-{run}/", stored);
        Assert.True(File.Exists(Path.Combine(s.DataRoot, stored)));
        var targets = s.Scores.GetTargetsOfRun(run);
        Assert.Equal(a, s.Scores.GetScores(targets.Single(t => t.ImageId == d.Val[0]).Id));
        Assert.Equal(b, s.Scores.GetScores(targets.Single(t => t.ImageId == d.Val[1]).Id));
    }

    [SkippableFact]
    public void ACorruptShardIsAnErrorNamingTheFileAndTheTopKStillReads()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (a, b) = TwoTargets();
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), a), (ImageTarget(d.Val[1]), b)], ScoreDtype.Float32, 2).Run.Id;
        string file;
        using (var c = s.OpenConnection()) file = Path.Combine(s.DataRoot, c.ExecuteScalar<string>("SELECT path FROM score_shards WHERE run_id = @run", new { run })!);
        var target = s.Scores.GetTargets(run, d.Val[0]).Single();

        var bytes = File.ReadAllBytes(file);
        bytes[ScoreShardFile.HeaderBytes + 2] ^= 0x10; // row 0
        File.WriteAllBytes(file, bytes);
        var corrupt = Assert.Throws<InvalidDataException>(() => s.Scores.GetScores(target.Id));
        Assert.Contains(file, corrupt.Message);
        Assert.Contains("row 0", corrupt.Message);
        Assert.Equal(2, s.Scores.GetInfluencers(target.Id, true, 0, 10).Count);

        File.WriteAllBytes(file, bytes[..^40]);
        var truncated = Assert.Throws<InvalidDataException>(() => s.Scores.GetScores(target.Id));
        Assert.Contains(file, truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        Assert.Throws<InvalidDataException>(() => s.Scores.Summarize(run, 2));
    }

    [SkippableFact]
    public void ALegacyScoreRowAndAShardTargetAreSummarizedTogether()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var (a, b) = TwoTargets();
        long run = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), a)], ScoreDtype.Float32, 2).Run.Id;
        long legacy;
        using (var c = s.OpenConnection())
        {
            legacy = c.ExecuteScalar<long>("INSERT INTO targets (run_id, image_id, kind) VALUES (@run, @image, 'image') RETURNING id", new { run, image = d.Val[1] });
            c.Execute("INSERT INTO scores VALUES (@legacy, @dtype, @data)", new { legacy, dtype = (int)ScoreDtype.Float32, data = ScoreCodec.Encode(b, ScoreDtype.Float32) });
        }
        s.Scores.Summarize(run, 2);

        Assert.Equal(b, s.Scores.GetScores(legacy));
        Assert.Equal(new[] { (d.Train[3], 3f), (d.Train[1], 1f) }, s.Scores.GetInfluencers(legacy, true, 0, 2).Select(i => (i.TrainImageId, i.Score)));
        // Means of the two targets: 2, 0, -1, 2.
        Assert.Equal(new[] { (d.Train[2], -1f, 1), (d.Train[1], 0f, 2) }, s.TrainRankings.Page(run, 0, 2).Select(o => (o.TrainImageId, o.MeanScore, o.Rank)));
    }

    [SkippableFact]
    public void ARetriedRunRemovesTheShardFilesOfItsEarlierAttempt()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long run = RunningRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, "retry");
        s.Scores.WriteScores(run, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float16);
        string folder = Path.Combine(s.DataRoot, "scores", $"run-{run}");
        Assert.Single(Directory.GetFiles(folder));

        s.RankingRuns.Begin(run, d.Id, AttributionMethods.Trak, TargetKinds.Image, d.Train);
        Assert.False(Directory.Exists(folder));
        Assert.Empty(s.Scores.GetTargetsOfRun(run));
    }

    [SkippableFact]
    public void TheStoredQueueHistogramEqualsOneBinnedFromTheRankingsRows()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s, SampleData.Import(train: 60, val: 2));
        var random = new Random(7);
        long run = CompleteRun(s, d, "rank.suspect", body: id =>
        {
            s.RankingRuns.Begin(id, d.Id, "suspect", "train", d.Train);
            s.TrainRankings.Write(id, d.Train.Select(t => (t, (float)Math.Round(random.NextDouble() * 10, 1))).OrderByDescending(r => r.Item2).ToList());
        }).Id;

        foreach (int bins in new[] { InfluenceHistogram.QueueBins, 7 })
        {
            var histogram = s.TrainRankings.Histogram(run, bins);
            var (counts, planted, min, max) = Binned(s, d, run, bins);
            Assert.Equal((min, max), (histogram.Min, histogram.Max));
            Assert.Equal(counts, histogram.Counts);
            Assert.Equal(planted, histogram.Planted);
        }
        Assert.Equal(1, s.TrainRankings.Histogram(run, InfluenceHistogram.QueueBins).Planted.Sum());
        using var c = s.OpenConnection();
        Assert.Equal(1, c.ExecuteScalar<int>("SELECT COUNT(*) FROM influence_histograms WHERE run_id = @run", new { run }));
    }

    /// <summary>The histogram worked out here from the ranking's rows as the ports return them: equal-width bins over
    /// [min, max] (a single value gets a width of 1e-12), the maximum in the last bin, planted errors per bin.</summary>
    private static (int[] Counts, int[] Planted, double Min, double Max) Binned(IStorageUnderTest s, Dataset d, long runId, int bins)
    {
        var rows = s.TrainRankings.Page(runId, 0, int.MaxValue);
        var plantedImages = s.Datasets.GetPlantedErrors(d.Id).Select(p => p.ImageId).ToHashSet();
        double min = rows.Min(r => (double)r.MeanScore), max = rows.Max(r => (double)r.MeanScore);
        double hi = max > min ? max : min + 1e-12;
        var counts = new int[bins];
        var planted = new int[bins];
        foreach (var r in rows)
        {
            int bin = (int)Math.Floor((r.MeanScore - min) / (hi - min) * bins);
            if (bin == bins) bin--;
            counts[bin]++;
            if (plantedImages.Contains(r.TrainImageId)) planted[bin]++;
        }
        return (counts, planted, min, hi);
    }

    [SkippableFact]
    public void AnUnfilteredPageIsTheRankRangeAndAFilteredOneSkipsOnlyMatchingRows()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s, SampleData.Import(train: 30, val: 1));
        long run = CompleteRun(s, d, "rank.suspect", body: id =>
        {
            s.RankingRuns.Begin(id, d.Id, "suspect", "train", d.Train);
            s.TrainRankings.Write(id, d.Train.Select((t, i) => (t, (float)(30 - i))).ToList());
        }).Id;
        foreach (long image in d.Train.Where((_, i) => i % 3 == 0)) s.Flags.Save(d.Id, image, "suspected", "", "me", 0);

        var all = s.TrainRankings.Page(run, 0, 100);
        var page = s.TrainRankings.Queue(run, false, QueueFilter.None, 20, 7);
        Assert.Equal(30, page.Total);
        Assert.Equal(all.Skip(20).Take(7).Select(o => (o.TrainImageId, o.Rank)), page.Items.Select(e => (e.TrainImageId, e.Rank)));
        Assert.Equal(30, s.TrainRankings.Count(run));

        var unflagged = s.TrainRankings.Queue(run, false, new QueueFilter(QueueFilter.Unflagged), 15, 10);
        var expected = all.Where((_, i) => i % 3 != 0).ToList();
        Assert.Equal(expected.Count, unflagged.Total);
        Assert.Equal(expected.Skip(15).Take(10).Select(o => o.TrainImageId), unflagged.Items.Select(e => e.TrainImageId));
        Assert.All(unflagged.Items, e => Assert.Null(e.Flag));
    }
}
