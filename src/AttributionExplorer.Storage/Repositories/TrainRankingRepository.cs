using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage.Repositories;

public sealed class TrainRankingRepository(SqliteDatabase database) : ITrainRankingRepository
{
    public void Write(long runId, IReadOnlyList<(long TrainImageId, float Score)> mostSuspectFirst)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM overall_influence WHERE run_id = @runId", new { runId }, tx);
        Insert(c, tx, runId, mostSuspectFirst.Select(r => r.TrainImageId).ToArray(), mostSuspectFirst.Select(r => r.Score).ToArray(),
            Enumerable.Range(0, mostSuspectFirst.Count).ToArray());
        tx.Commit();
    }

    /// <summary>Rows for ids[order[r]] with rank r + 1.</summary>
    internal static void Insert(SqliteConnection c, SqliteTransaction tx, long runId, IReadOnlyList<long> ids, IReadOnlyList<float> scores, IReadOnlyList<int> order)
    {
        using var insert = PreparedCommand.Create(c, tx, "INSERT INTO overall_influence VALUES ($r, $i, $m, $k)", "$r", "$i", "$m", "$k");
        for (int r = 0; r < order.Count; r++) PreparedCommand.Execute(insert, runId, ids[order[r]], scores[order[r]], r + 1);
    }

    public int Count(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM overall_influence WHERE run_id = @runId", new { runId });
    }

    public IReadOnlyList<OverallInfluence> Page(long runId, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, double Mean, long Rank)>(
                "SELECT train_image_id, mean_score, rank FROM overall_influence WHERE run_id = @runId ORDER BY rank LIMIT @limit OFFSET @offset",
                new { runId, limit, offset })
            .Select(r => new OverallInfluence(r.ImageId, (float)r.Mean, (int)r.Rank)).ToList();
    }

    public OverallInfluence? Of(long runId, long trainImageId)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, double Mean, long Rank)>(
                "SELECT train_image_id, mean_score, rank FROM overall_influence WHERE run_id = @runId AND train_image_id = @trainImageId",
                new { runId, trainImageId })
            .Select(r => new OverallInfluence(r.ImageId, (float)r.Mean, (int)r.Rank)).FirstOrDefault();
    }

    public InfluenceHistogram Histogram(long runId, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins));
        using var c = database.Open();
        var (min, max) = c.QueryFirst<(double?, double?)>("SELECT MIN(mean_score), MAX(mean_score) FROM overall_influence WHERE run_id = @runId", new { runId });
        if (min is null || max is null) return new InfluenceHistogram(0, 0, [], []);
        double lo = min.Value, hi = max.Value > min.Value ? max.Value : min.Value + 1e-12;
        var counts = new int[bins];
        var planted = new int[bins];
        foreach (var (bin, count, plantedCount) in c.Query<(long, long, long)>(
                     "SELECT MIN(@bins - 1, CAST((o.mean_score - @lo) / (@hi - @lo) * @bins AS INTEGER)) AS bin, COUNT(*), " +
                     "SUM(EXISTS (SELECT 1 FROM planted_errors p WHERE p.image_id = o.train_image_id)) " +
                     "FROM overall_influence o WHERE o.run_id = @runId GROUP BY bin", new { runId, bins, lo, hi }))
        {
            counts[bin] = (int)count;
            planted[bin] = (int)plantedCount;
        }
        return new InfluenceHistogram(lo, hi, counts, planted);
    }

    public void WriteObjects(long runId, IReadOnlyList<(long AnnotationId, long TrainImageId, float Score)> mostSuspectFirst)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM object_rankings WHERE run_id = @runId", new { runId }, tx);
        using var insert = PreparedCommand.Create(c, tx,
            "INSERT INTO object_rankings (run_id, annotation_id, train_image_id, score, rank) VALUES ($r, $a, $i, $s, $k)", "$r", "$a", "$i", "$s", "$k");
        for (int r = 0; r < mostSuspectFirst.Count; r++)
            PreparedCommand.Execute(insert, runId, mostSuspectFirst[r].AnnotationId, mostSuspectFirst[r].TrainImageId, (double)mostSuspectFirst[r].Score, r + 1);
        tx.Commit();
    }

    public int CountObjects(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM object_rankings WHERE run_id = @runId", new { runId });
    }

    public IReadOnlyList<ObjectSuspicion> PageObjects(long runId, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<(long AnnotationId, long ImageId, double Score, long Rank)>(
                "SELECT annotation_id, train_image_id, score, rank FROM object_rankings WHERE run_id = @runId ORDER BY rank LIMIT @limit OFFSET @offset",
                new { runId, limit, offset })
            .Select(r => new ObjectSuspicion(r.AnnotationId, r.ImageId, (float)r.Score, (int)r.Rank)).ToList();
    }
}
