using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using Dapper;
using Npgsql;

namespace AttributionExplorer.Storage.Postgres.Repositories;

/// <summary>Targets, their dense scores (shard files under the data root, as the SQLite adapter writes them) and top-k
/// lists; every bulk write is binary COPY in one transaction.</summary>
public sealed class PgScoreRepository(PostgresDatabase database) : IScoreRepository
{
    private const string TargetColumns = "t.id, t.run_id, t.image_id, t.kind, t.category_coco_id, t.annotation_id, t.split_half";

    public void WriteScores(long runId, IReadOnlyList<(NewTarget Target, float[] Scores)> rows, ScoreDtype dtype)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        int trainCount = c.ExecuteScalar<int?>("SELECT train_count FROM attribution_runs WHERE id = @runId", new { runId }, tx)
            ?? throw new KeyNotFoundException($"run {runId} has not begun (no ranking row)");
        foreach (var (target, scores) in rows)
            if (scores.Length != trainCount)
                throw new ArgumentException($"run {runId}: target on image {target.ImageId} has {scores.Length} scores, expected {trainCount}");
        if (rows.Count == 0) return;
        var (shardId, file) = WriteShard(c, tx, runId, rows.Select(r => r.Scores).ToList(), trainCount, dtype);
        try
        {
            var ids = PgBulk.ReserveIds(c, "targets", rows.Count);
            database.Dialect.BulkInsert(c, tx, "targets", "id, run_id, image_id, kind, category_coco_id, annotation_id, split_half, score_shard, score_row", Enumerable.Range(0, rows.Count),
                (row, r) =>
                {
                    var t = rows[r].Target;
                    row.Long(ids[r]).Long(runId).Long(t.ImageId).Text(t.Kind).Long(t.CategoryCocoId).Long(t.AnnotationId).Double(t.SplitHalf).Long(shardId).Long(r);
                });
            tx.Commit();
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    public void Summarize(long runId, int topK)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        var order = TrainOrder(c, tx, runId);
        var sums = new double[order.Length];
        var counts = new int[order.Length];
        c.Execute("DELETE FROM topk WHERE target_id IN (SELECT id FROM targets WHERE run_id = @runId)", new { runId }, tx);
        c.Execute("DELETE FROM overall_influence WHERE run_id = @runId", new { runId }, tx);
        var shards = c.Query<(long Id, string Path, long Cols)>("SELECT id, path, cols FROM score_shards WHERE run_id = @runId", new { runId }, tx)
            .ToDictionary(s => s.Id, s => (s.Path, s.Cols));
        // Every read is done before COPY starts (one connection runs one command at a time); the top-k rows wait in memory.
        var top = new List<(long TargetId, bool Positive, int Rank, long ImageId, float Score)>();
        int targets = 0;
        ScoreShardFile.Reader? open = null;
        long? openShard = null;
        try
        {
            foreach (var (targetId, shard, row) in c.Query<(long, long?, long?)>(
                         "SELECT id, score_shard, score_row FROM targets WHERE run_id = @runId ORDER BY score_shard, score_row, id", new { runId }, tx).ToList())
            {
                float[]? scores;
                if (shard is long shardId)
                {
                    if (openShard != shardId)
                    {
                        open?.Dispose();
                        open = ScoreShards.Open(database.Paths, shardId, shards[shardId].Path, shards[shardId].Cols);
                        openShard = shardId;
                    }
                    scores = open!.Row((int)row!.Value);
                }
                else scores = LegacyScores(c, tx, targetId);
                if (scores is null) continue;
                for (int i = 0; i < scores.Length; i++)
                {
                    if (float.IsNaN(scores[i])) continue;
                    sums[i] += scores[i];
                    counts[i]++;
                }
                targets++;
                AddTopK(top, targetId, scores, order, topK);
            }
        }
        finally
        {
            open?.Dispose();
        }
        if (targets == 0) throw new InvalidOperationException($"run {runId} has no scored targets; it cannot be completed");
        CopyTopK(c, tx, top);
        // NaN-aware: a training image that is no target's candidate (similarity methods) has no overall influence.
        var means = sums.Select((s, i) => counts[i] == 0 ? float.NaN : (float)(s / counts[i])).ToArray();
        AttributionExplorer.Storage.Repositories.TrainRankingRepository.Insert(database.Dialect, c, tx, runId, order, means, TopK.Smallest(means, means.Length));
        tx.Commit();
    }

    public long AppendTarget(long runId, NewTarget target, float[] scores, ScoreDtype dtype, int topK)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        var order = TrainOrder(c, tx, runId);
        if (scores.Length != order.Length)
            throw new ArgumentException($"run {runId}: target on image {target.ImageId} has {scores.Length} scores, expected {order.Length}");
        var (shardId, file) = WriteShard(c, tx, runId, [scores], order.Length, dtype);
        try
        {
            long targetId = c.ExecuteScalar<long>(
                "INSERT INTO targets (run_id, image_id, kind, category_coco_id, annotation_id, split_half, score_shard, score_row) " +
                "VALUES (@runId, @ImageId, @Kind, @CategoryCocoId, @AnnotationId, @SplitHalf, @shardId, 0) RETURNING id",
                new { runId, target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId, target.SplitHalf, shardId }, tx);
            var top = new List<(long, bool, int, long, float)>();
            AddTopK(top, targetId, scores, order, topK);
            CopyTopK(c, tx, top);
            tx.Commit();
            return targetId;
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    /// <summary>Records a shard of the run and writes its file; returns the id and the file's full path.</summary>
    private (long ShardId, string File) WriteShard(NpgsqlConnection c, NpgsqlTransaction tx, long runId, IReadOnlyList<float[]> rows, int columns, ScoreDtype dtype)
    {
        long shardId = PgBulk.ReserveIds(c, "score_shards", 1)[0];
        string stored = ScoreShards.StoredPath(runId, shardId);
        c.Execute("INSERT INTO score_shards (id, run_id, path, dtype, rows, cols) VALUES (@shardId, @runId, @stored, @dtype, @rows, @columns)",
            new { shardId, runId, stored, dtype = (long)dtype, rows = (long)rows.Count, columns = (long)columns }, tx);
        string file = database.Paths.ToFull(stored);
        ScoreShardFile.Write(file, rows, columns, dtype);
        return (shardId, file);
    }

    private static float[]? LegacyScores(NpgsqlConnection c, NpgsqlTransaction? tx, long targetId) =>
        c.QueryFirstOrDefault<(long Dtype, byte[] Data)?>("SELECT dtype, data FROM scores WHERE target_id = @targetId", new { targetId }, tx) is { } row
            ? ScoreCodec.Decode(row.Data, (ScoreDtype)row.Dtype)
            : null;

    public AttributionTarget? GetTarget(long targetId) => QueryTargets("WHERE t.id = @targetId", new { targetId }).FirstOrDefault();

    public IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId) =>
        QueryTargets("WHERE t.run_id = @runId AND t.image_id = @imageId ORDER BY t.id", new { runId, imageId });

    public IReadOnlyList<AttributionTarget> GetTargetsOfRun(long runId) => QueryTargets("WHERE t.run_id = @runId ORDER BY t.id", new { runId });

    public IReadOnlyList<Influencer> GetInfluencers(long targetId, bool positive, int skip, int k)
    {
        using var c = database.Open();
        return c.Query<(long Rank, long ImageId, double Score)>(
                "SELECT rank, train_image_id, score FROM topk WHERE target_id = @targetId AND positive = @p AND rank > @skip AND rank <= @last ORDER BY rank",
                new { targetId, p = positive ? 1L : 0L, skip = (long)skip, last = (long)skip + k })
            .Select(r => new Influencer((int)r.Rank, r.ImageId, (float)r.Score)).ToList();
    }

    /// <summary>The target's row of its shard file, or (written before score files) its row of `scores`.</summary>
    public float[] GetScores(long targetId)
    {
        using var c = database.Open();
        var shard = c.QueryFirstOrDefault<(long ShardId, string Path, long Cols, long Row)?>(
            "SELECT s.id, s.path, s.cols, t.score_row FROM targets t JOIN score_shards s ON s.id = t.score_shard WHERE t.id = @targetId", new { targetId });
        if (shard is { } found)
        {
            using var reader = ScoreShards.Open(database.Paths, found.ShardId, found.Path, found.Cols);
            return reader.Row((int)found.Row);
        }
        return LegacyScores(c, null, targetId) ?? throw new KeyNotFoundException($"target {targetId} has no scores");
    }

    public IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit)
    {
        if (runIds.Count == 0) return [];
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation, double? SplitHalf, long Positive, long Rank, double Score)>(
                $"SELECT {TargetColumns}, k.positive, k.rank, k.score FROM topk k JOIN targets t ON t.id = k.target_id " +
                "WHERE k.train_image_id = @trainImageId AND t.run_id = ANY(@runIds) ORDER BY k.rank, k.positive DESC, t.id LIMIT @limit",
                new { trainImageId, runIds = runIds.ToArray(), limit })
            .Select(r => new Appearance(new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation, r.SplitHalf), r.Positive != 0, (int)r.Rank, (float)r.Score))
            .ToList();
    }

    private static long[] TrainOrder(NpgsqlConnection c, NpgsqlTransaction tx, long runId) =>
        c.Query<long>("SELECT image_id FROM run_train_order WHERE run_id = @runId ORDER BY position", new { runId }, tx).ToArray();

    private static void AddTopK(List<(long, bool, int, long, float)> top, long targetId, float[] scores, long[] order, int topK)
    {
        foreach (bool positive in new[] { true, false })
        {
            var best = positive ? TopK.Largest(scores, topK) : TopK.Smallest(scores, topK);
            for (int r = 0; r < best.Length; r++) top.Add((targetId, positive, r + 1, order[best[r]], scores[best[r]]));
        }
    }

    private static void CopyTopK(NpgsqlConnection c, NpgsqlTransaction tx, List<(long TargetId, bool Positive, int Rank, long ImageId, float Score)> top) =>
        PostgresDialect.Instance.BulkInsert(c, tx, "topk", "target_id, positive, rank, train_image_id, score", top,
            (row, t) => row.Long(t.TargetId).Long(t.Positive ? 1 : 0).Long(t.Rank).Long(t.ImageId).Double(t.Score));

    private IReadOnlyList<AttributionTarget> QueryTargets(string where, object args)
    {
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation, double? SplitHalf)>($"SELECT {TargetColumns} FROM targets t {where}", args)
            .Select(r => new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation, r.SplitHalf)).ToList();
    }
}
