using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using AttributionExplorer.Core.Scores;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage.Repositories;

public sealed class ScoreRepository(SqliteDatabase database) : IScoreRepository
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
            using var insertTarget = PreparedCommand.Create(c, tx,
                "INSERT INTO targets (run_id, image_id, kind, category_coco_id, annotation_id, split_half, score_shard, score_row) VALUES ($r, $i, $k, $c, $a, $h, $s, $w)",
                "$r", "$i", "$k", "$c", "$a", "$h", "$s", "$w");
            for (int row = 0; row < rows.Count; row++)
            {
                var target = rows[row].Target;
                PreparedCommand.Execute(insertTarget, runId, target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId, target.SplitHalf, shardId, row);
            }
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
        int targets = 0;
        c.Execute("DELETE FROM topk WHERE target_id IN (SELECT id FROM targets WHERE run_id = @runId); DELETE FROM overall_influence WHERE run_id = @runId", new { runId }, tx);
        using var insertTop = InsertTopCommand(c, tx);
        var shardPaths = c.Query<(long Id, string Path, long Cols)>("SELECT id, path, cols FROM score_shards WHERE run_id = @runId", new { runId }, tx)
            .ToDictionary(s => s.Id, s => (s.Path, s.Cols));
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
                        open = OpenShard(shardId, shardPaths[shardId].Path, shardPaths[shardId].Cols);
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
                InsertTopK(insertTop, targetId, scores, order, topK);
            }
        }
        finally
        {
            open?.Dispose();
        }
        if (targets == 0) throw new InvalidOperationException($"run {runId} has no scored targets; it cannot be completed");
        // NaN-aware: a training image that is no target's candidate (similarity methods) has no overall influence.
        var means = sums.Select((s, i) => counts[i] == 0 ? float.NaN : (float)(s / counts[i])).ToArray();
        TrainRankingRepository.Insert(database.Dialect, c, tx, runId, order, means, TopK.Smallest(means, means.Length));
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
            using var insertTop = InsertTopCommand(c, tx);
            InsertTopK(insertTop, targetId, scores, order, topK);
            tx.Commit();
            return targetId;
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    /// <summary>Records a shard of the run and writes its file (named by the shard's id, so a shard of a rolled-back
    /// transaction is overwritten by the next); returns the id and the file's full path.</summary>
    private (long ShardId, string File) WriteShard(SqliteConnection c, SqliteTransaction tx, long runId, IReadOnlyList<float[]> rows, int columns, ScoreDtype dtype)
    {
        long shardId = c.ExecuteScalar<long>("INSERT INTO score_shards (run_id, path, dtype, rows, cols) VALUES (@runId, '', @dtype, @rows, @columns) RETURNING id",
            new { runId, dtype = (int)dtype, rows = rows.Count, columns }, tx);
        string stored = ScoreShards.StoredPath(runId, shardId);
        c.Execute("UPDATE score_shards SET path = @stored WHERE id = @shardId", new { stored, shardId }, tx);
        string file = database.Paths.ToFull(stored);
        ScoreShardFile.Write(file, rows, columns, dtype);
        return (shardId, file);
    }

    private ScoreShardFile.Reader OpenShard(long shardId, string storedPath, long columns) => ScoreShards.Open(database.Paths, shardId, storedPath, columns);

    private static float[]? LegacyScores(SqliteConnection c, SqliteTransaction? tx, long targetId) =>
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
                new { targetId, p = positive ? 1 : 0, skip, last = skip + k })
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
            using var reader = OpenShard(found.ShardId, found.Path, found.Cols);
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
                "WHERE k.train_image_id = @trainImageId AND t.run_id IN @runIds ORDER BY k.rank, k.positive DESC, t.id LIMIT @limit",
                new { trainImageId, runIds, limit })
            .Select(r => new Appearance(new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation, r.SplitHalf), r.Positive != 0, (int)r.Rank, (float)r.Score))
            .ToList();
    }

    private static long[] TrainOrder(SqliteConnection c, SqliteTransaction tx, long runId) =>
        c.Query<long>("SELECT image_id FROM run_train_order WHERE run_id = @runId ORDER BY position", new { runId }, tx).ToArray();

    private static PreparedCommand InsertTopCommand(SqliteConnection c, SqliteTransaction tx) =>
        PreparedCommand.Create(c, tx, "INSERT INTO topk VALUES ($t, $p, $r, $i, $s)", "$t", "$p", "$r", "$i", "$s");

    private static void InsertTopK(PreparedCommand insertTop, long targetId, float[] scores, long[] order, int topK)
    {
        foreach (bool positive in new[] { true, false })
        {
            var best = positive ? TopK.Largest(scores, topK) : TopK.Smallest(scores, topK);
            for (int r = 0; r < best.Length; r++)
                PreparedCommand.Execute(insertTop, targetId, positive ? 1 : 0, r + 1, order[best[r]], scores[best[r]]);
        }
    }

    private IReadOnlyList<AttributionTarget> QueryTargets(string where, object args)
    {
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation, double? SplitHalf)>($"SELECT {TargetColumns} FROM targets t {where}", args)
            .Select(r => new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation, r.SplitHalf)).ToList();
    }
}
