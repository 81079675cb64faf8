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
        using var insertTarget = PreparedCommand.Create(c, tx,
            "INSERT INTO targets (run_id, image_id, kind, category_coco_id, annotation_id, split_half) VALUES ($r, $i, $k, $c, $a, $h) RETURNING id",
            "$r", "$i", "$k", "$c", "$a", "$h");
        using var insertScores = PreparedCommand.Create(c, tx, "INSERT INTO scores VALUES ($t, $d, $b)", "$t", "$d", "$b");
        foreach (var (target, scores) in rows)
        {
            if (scores.Length != trainCount)
                throw new ArgumentException($"run {runId}: target on image {target.ImageId} has {scores.Length} scores, expected {trainCount}");
            long targetId = (long)PreparedCommand.Scalar(insertTarget, runId, target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId, target.SplitHalf)!;
            PreparedCommand.Execute(insertScores, targetId, (int)dtype, ScoreCodec.Encode(scores, dtype));
        }
        tx.Commit();
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
        foreach (var (targetId, dtype, data) in c.Query<(long, long, byte[])>(
                     "SELECT t.id, s.dtype, s.data FROM targets t JOIN scores s ON s.target_id = t.id WHERE t.run_id = @runId", new { runId }, tx))
        {
            var scores = ScoreCodec.Decode(data, (ScoreDtype)dtype);
            for (int i = 0; i < scores.Length; i++)
            {
                if (float.IsNaN(scores[i])) continue;
                sums[i] += scores[i];
                counts[i]++;
            }
            targets++;
            InsertTopK(insertTop, targetId, scores, order, topK);
        }
        if (targets == 0) throw new InvalidOperationException($"run {runId} has no scored targets; it cannot be completed");
        // NaN-aware: a training image that is no target's candidate (similarity methods) has no overall influence.
        var means = sums.Select((s, i) => counts[i] == 0 ? float.NaN : (float)(s / counts[i])).ToArray();
        TrainRankingRepository.Insert(c, tx, runId, order, means, TopK.Smallest(means, means.Length));
        tx.Commit();
    }

    public long AppendTarget(long runId, NewTarget target, float[] scores, ScoreDtype dtype, int topK)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        var order = TrainOrder(c, tx, runId);
        if (scores.Length != order.Length)
            throw new ArgumentException($"run {runId}: target on image {target.ImageId} has {scores.Length} scores, expected {order.Length}");
        long targetId = c.ExecuteScalar<long>(
            "INSERT INTO targets (run_id, image_id, kind, category_coco_id, annotation_id, split_half) VALUES (@runId, @ImageId, @Kind, @CategoryCocoId, @AnnotationId, @SplitHalf) RETURNING id",
            new { runId, target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId, target.SplitHalf }, tx);
        c.Execute("INSERT INTO scores VALUES (@targetId, @dtype, @data)", new { targetId, dtype = (int)dtype, data = ScoreCodec.Encode(scores, dtype) }, tx);
        using var insertTop = InsertTopCommand(c, tx);
        InsertTopK(insertTop, targetId, scores, order, topK);
        tx.Commit();
        return targetId;
    }

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

    public float[] GetScores(long targetId)
    {
        using var c = database.Open();
        var row = c.QueryFirstOrDefault<(long Dtype, byte[] Data)?>("SELECT dtype, data FROM scores WHERE target_id = @targetId", new { targetId })
            ?? throw new KeyNotFoundException($"target {targetId} has no scores");
        return ScoreCodec.Decode(row.Data, (ScoreDtype)row.Dtype);
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

    private static SqliteCommand InsertTopCommand(SqliteConnection c, SqliteTransaction tx) =>
        PreparedCommand.Create(c, tx, "INSERT INTO topk VALUES ($t, $p, $r, $i, $s)", "$t", "$p", "$r", "$i", "$s");

    private static void InsertTopK(SqliteCommand insertTop, long targetId, float[] scores, long[] order, int topK)
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
