using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class AttributionRepository(SqliteDatabase database) : IAttributionRepository
{
    private const string RunColumns = "id AS Id, dataset_id AS DatasetId, method AS Method, target_kind AS TargetKind, status AS Status, parameters_json AS ParametersJson, parameters_hash AS ParametersHash, timings_json AS TimingsJson, train_count AS TrainCount, started_utc AS StartedUtc, finished_utc AS FinishedUtc";

    public long BeginRun(long datasetId, string method, string targetKind, string parametersJson, string parametersHash,
        IReadOnlyList<long> trainImageIdsInScoreOrder)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        long runId = c.ExecuteScalar<long>(
            "INSERT INTO attribution_runs (dataset_id, method, target_kind, status, parameters_json, parameters_hash, train_count, started_utc) VALUES (@datasetId, @method, @targetKind, 'running', @parametersJson, @parametersHash, @count, @started) RETURNING id",
            new { datasetId, method, targetKind, parametersJson, parametersHash, count = trainImageIdsInScoreOrder.Count, started = DapperSetup.ToText(DateTime.UtcNow) }, tx);
        using var insert = PreparedCommand.Create(c, tx, "INSERT INTO run_train_order VALUES ($r, $p, $i)", "$r", "$p", "$i");
        for (int p = 0; p < trainImageIdsInScoreOrder.Count; p++) PreparedCommand.Execute(insert, runId, p, trainImageIdsInScoreOrder[p]);
        tx.Commit();
        return runId;
    }

    public void WriteScores(long runId, IReadOnlyList<(NewTarget Target, float[] Scores)> rows, ScoreDtype dtype)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        int trainCount = c.ExecuteScalar<int>("SELECT train_count FROM attribution_runs WHERE id = @runId", new { runId }, tx);
        using var insertTarget = PreparedCommand.Create(c, tx,
            "INSERT INTO targets (run_id, image_id, kind, category_coco_id, annotation_id) VALUES ($r, $i, $k, $c, $a) RETURNING id",
            "$r", "$i", "$k", "$c", "$a");
        using var insertScores = PreparedCommand.Create(c, tx, "INSERT INTO scores VALUES ($t, $d, $b)", "$t", "$d", "$b");
        foreach (var (target, scores) in rows)
        {
            if (scores.Length != trainCount)
                throw new ArgumentException($"run {runId}: target on image {target.ImageId} has {scores.Length} scores, expected {trainCount}");
            long targetId = (long)PreparedCommand.Scalar(insertTarget, runId, target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId)!;
            PreparedCommand.Execute(insertScores, targetId, (int)dtype, ScoreCodec.Encode(scores, dtype));
        }
        tx.Commit();
    }

    public void CompleteRun(long runId, string timingsJson, int topK)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        var order = c.Query<long>("SELECT image_id FROM run_train_order WHERE run_id = @runId ORDER BY position", new { runId }, tx).ToArray();
        var sums = new double[order.Length];
        int targets = 0;
        using var insertTop = PreparedCommand.Create(c, tx, "INSERT INTO topk VALUES ($t, $p, $r, $i, $s)", "$t", "$p", "$r", "$i", "$s");
        foreach (var (targetId, dtype, data) in c.Query<(long, long, byte[])>(
                     "SELECT t.id, s.dtype, s.data FROM targets t JOIN scores s ON s.target_id = t.id WHERE t.run_id = @runId", new { runId }, tx))
        {
            var scores = ScoreCodec.Decode(data, (ScoreDtype)dtype);
            for (int i = 0; i < scores.Length; i++) sums[i] += scores[i];
            targets++;
            foreach (bool positive in new[] { true, false })
            {
                var best = positive ? TopK.Largest(scores, topK) : TopK.Smallest(scores, topK);
                for (int r = 0; r < best.Length; r++)
                    PreparedCommand.Execute(insertTop, targetId, positive ? 1 : 0, r + 1, order[best[r]], scores[best[r]]);
            }
        }
        if (targets == 0) throw new InvalidOperationException($"run {runId} has no scored targets; it cannot be completed");
        var means = sums.Select(s => (float)(s / targets)).ToArray();
        var ranked = TopK.Smallest(means, means.Length);
        using var insertOverall = PreparedCommand.Create(c, tx, "INSERT INTO overall_influence VALUES ($r, $i, $m, $k)", "$r", "$i", "$m", "$k");
        for (int r = 0; r < ranked.Length; r++) PreparedCommand.Execute(insertOverall, runId, order[ranked[r]], means[ranked[r]], r + 1);
        c.Execute("UPDATE attribution_runs SET status = 'complete', timings_json = @timingsJson, finished_utc = @now WHERE id = @runId",
            new { runId, timingsJson, now = DapperSetup.ToText(DateTime.UtcNow) }, tx);
        tx.Commit();
    }

    public void FailRun(long runId, string error)
    {
        using var c = database.Open();
        c.Execute("UPDATE attribution_runs SET status = 'failed', error = @error, finished_utc = @now WHERE id = @runId",
            new { runId, error, now = DapperSetup.ToText(DateTime.UtcNow) });
    }

    public AttributionRun? FindCompleteRun(long datasetId, string parametersHash) =>
        QueryRuns("WHERE dataset_id = @datasetId AND parameters_hash = @parametersHash AND status = 'complete' ORDER BY id DESC LIMIT 1",
            new { datasetId, parametersHash }).FirstOrDefault();

    public AttributionRun? GetLatestCompleteRun(long datasetId, string method, string targetKind) =>
        QueryRuns("WHERE dataset_id = @datasetId AND method = @method AND target_kind = @targetKind AND status = 'complete' ORDER BY id DESC LIMIT 1",
            new { datasetId, method, targetKind }).FirstOrDefault();

    public IReadOnlyList<AttributionRun> ListCompleteRuns(long datasetId) =>
        QueryRuns("WHERE dataset_id = @datasetId AND status = 'complete' ORDER BY id", new { datasetId });

    public IReadOnlyList<AttributionTarget> GetTargets(long runId, long imageId)
    {
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation)>(
                "SELECT id, run_id, image_id, kind, category_coco_id, annotation_id FROM targets WHERE run_id = @runId AND image_id = @imageId ORDER BY id",
                new { runId, imageId })
            .Select(r => new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation)).ToList();
    }

    public IReadOnlyList<Influencer> GetTopInfluencers(long targetId, bool positive, int k)
    {
        using var c = database.Open();
        return c.Query<(long Rank, long ImageId, double Score)>(
                "SELECT rank, train_image_id, score FROM topk WHERE target_id = @targetId AND positive = @p AND rank <= @k ORDER BY rank",
                new { targetId, p = positive ? 1 : 0, k })
            .Select(r => new Influencer((int)r.Rank, r.ImageId, (float)r.Score)).ToList();
    }

    public float[] GetScores(long targetId)
    {
        using var c = database.Open();
        var row = c.QueryFirstOrDefault<(long Dtype, byte[] Data)?>("SELECT dtype, data FROM scores WHERE target_id = @targetId", new { targetId })
            ?? throw new KeyNotFoundException($"target {targetId} has no scores");
        return ScoreCodec.Decode(row.Data, (ScoreDtype)row.Dtype);
    }

    public IReadOnlyList<long> GetTrainOrder(long runId)
    {
        using var c = database.Open();
        return c.Query<long>("SELECT image_id FROM run_train_order WHERE run_id = @runId ORDER BY position", new { runId }).ToList();
    }

    public int CountOverallInfluence(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM overall_influence WHERE run_id = @runId", new { runId });
    }

    public IReadOnlyList<OverallInfluence> GetOverallInfluence(long runId, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, double Mean, long Rank)>(
                "SELECT train_image_id, mean_score, rank FROM overall_influence WHERE run_id = @runId ORDER BY rank LIMIT @limit OFFSET @offset",
                new { runId, limit, offset })
            .Select(r => new OverallInfluence(r.ImageId, (float)r.Mean, (int)r.Rank)).ToList();
    }

    public OverallInfluence? GetOverallInfluenceOf(long runId, long trainImageId)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, double Mean, long Rank)>(
                "SELECT train_image_id, mean_score, rank FROM overall_influence WHERE run_id = @runId AND train_image_id = @trainImageId",
                new { runId, trainImageId })
            .Select(r => new OverallInfluence(r.ImageId, (float)r.Mean, (int)r.Rank)).FirstOrDefault();
    }

    private IReadOnlyList<AttributionRun> QueryRuns(string where, object args)
    {
        using var c = database.Open();
        return c.Query<Rows.Run>($"SELECT {RunColumns} FROM attribution_runs {where}", args).Select(r => r.ToRecord()).ToList();
    }
}
