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
        var counts = new int[order.Length];
        int targets = 0;
        using var insertTop = PreparedCommand.Create(c, tx, "INSERT INTO topk VALUES ($t, $p, $r, $i, $s)", "$t", "$p", "$r", "$i", "$s");
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
        var ranked = TopK.Smallest(means, means.Length);
        using var insertOverall = PreparedCommand.Create(c, tx, "INSERT INTO overall_influence VALUES ($r, $i, $m, $k)", "$r", "$i", "$m", "$k");
        for (int r = 0; r < ranked.Length; r++) PreparedCommand.Execute(insertOverall, runId, order[ranked[r]], means[ranked[r]], r + 1);
        c.Execute("UPDATE attribution_runs SET status = 'complete', timings_json = @timingsJson, finished_utc = @now WHERE id = @runId",
            new { runId, timingsJson, now = DapperSetup.ToText(DateTime.UtcNow) }, tx);
        tx.Commit();
    }

    private static void InsertTopK(Microsoft.Data.Sqlite.SqliteCommand insertTop, long targetId, float[] scores, long[] order, int topK)
    {
        foreach (bool positive in new[] { true, false })
        {
            var best = positive ? TopK.Largest(scores, topK) : TopK.Smallest(scores, topK);
            for (int r = 0; r < best.Length; r++)
                PreparedCommand.Execute(insertTop, targetId, positive ? 1 : 0, r + 1, order[best[r]], scores[best[r]]);
        }
    }

    public long EnsureOnDemandRun(long baseRunId)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        var baseRun = c.QueryFirstOrDefault<Rows.Run>($"SELECT {RunColumns} FROM attribution_runs WHERE id = @baseRunId", new { baseRunId }, tx)
            ?? throw new KeyNotFoundException($"run {baseRunId} does not exist");
        // Its own hash, so that looking up the base run by hash never finds the on-demand run instead.
        string hash = baseRun.ParametersHash + "+" + TargetKinds.Region;
        long? existing = c.ExecuteScalar<long?>(
            "SELECT id FROM attribution_runs WHERE dataset_id = @DatasetId AND method = @Method AND target_kind = @kind AND parameters_hash = @hash AND status = 'complete' ORDER BY id DESC LIMIT 1",
            new { baseRun.DatasetId, baseRun.Method, kind = TargetKinds.Region, hash }, tx);
        if (existing is { } id) return id;
        string now = DapperSetup.ToText(DateTime.UtcNow);
        long runId = c.ExecuteScalar<long>(
            "INSERT INTO attribution_runs (dataset_id, method, target_kind, status, parameters_json, parameters_hash, timings_json, train_count, started_utc, finished_utc) VALUES (@DatasetId, @Method, @kind, 'complete', @ParametersJson, @ParametersHash, @timings, @TrainCount, @now, @now) RETURNING id",
            new { baseRun.DatasetId, baseRun.Method, kind = TargetKinds.Region, baseRun.ParametersJson, ParametersHash = hash, timings = $"{{\"baseRunId\":{baseRunId}}}", baseRun.TrainCount, now }, tx);
        c.Execute("INSERT INTO run_train_order SELECT @runId, position, image_id FROM run_train_order WHERE run_id = @baseRunId", new { runId, baseRunId }, tx);
        tx.Commit();
        return runId;
    }

    public long AppendTarget(long runId, NewTarget target, float[] scores, ScoreDtype dtype, int topK)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        var order = c.Query<long>("SELECT image_id FROM run_train_order WHERE run_id = @runId ORDER BY position", new { runId }, tx).ToArray();
        if (scores.Length != order.Length)
            throw new ArgumentException($"run {runId}: target on image {target.ImageId} has {scores.Length} scores, expected {order.Length}");
        long targetId = c.ExecuteScalar<long>(
            "INSERT INTO targets (run_id, image_id, kind, category_coco_id, annotation_id) VALUES (@runId, @ImageId, @Kind, @CategoryCocoId, @AnnotationId) RETURNING id",
            new { runId, target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId }, tx);
        c.Execute("INSERT INTO scores VALUES (@targetId, @dtype, @data)", new { targetId, dtype = (int)dtype, data = ScoreCodec.Encode(scores, dtype) }, tx);
        using var insertTop = PreparedCommand.Create(c, tx, "INSERT INTO topk VALUES ($t, $p, $r, $i, $s)", "$t", "$p", "$r", "$i", "$s");
        InsertTopK(insertTop, targetId, scores, order, topK);
        tx.Commit();
        return targetId;
    }

    public AttributionTarget? GetTarget(long targetId)
    {
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation)>(
                "SELECT id, run_id, image_id, kind, category_coco_id, annotation_id FROM targets WHERE id = @targetId", new { targetId })
            .Select(r => new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation)).FirstOrDefault();
    }

    public void SaveScoringMatrices(IReadOnlyList<ScoringMatrixRecord> matrices)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        foreach (var m in matrices)
            c.Execute("INSERT OR REPLACE INTO trak_scoring_matrices VALUES (@RunId, @Position, @CheckpointId, @Rows, @Cols, @Path, @Sha256)", m, tx);
        tx.Commit();
    }

    public IReadOnlyList<ScoringMatrixRecord> GetScoringMatrices(long runId)
    {
        using var c = database.Open();
        return c.Query<(long RunId, long Position, long CheckpointId, long Rows, long Cols, string Path, string Sha256)>(
                "SELECT run_id, position, checkpoint_id, rows, cols, path, sha256 FROM trak_scoring_matrices WHERE run_id = @runId ORDER BY position", new { runId })
            .Select(r => new ScoringMatrixRecord(r.RunId, (int)r.Position, r.CheckpointId, (int)r.Rows, (int)r.Cols, r.Path, r.Sha256)).ToList();
    }

    public void WriteAgreement(IReadOnlyList<RankAgreementRecord> rows)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        using var insert = PreparedCommand.Create(c, tx, "INSERT OR REPLACE INTO rank_agreement VALUES ($a, $b, $o10, $o50, $s, $n)", "$a", "$b", "$o10", "$o50", "$s", "$n");
        foreach (var r in rows)
            PreparedCommand.Execute(insert, r.TargetA, r.TargetB, r.OverlapAt10, r.OverlapAt50, r.SpearmanTop50Union, r.Candidates);
        tx.Commit();
    }

    public IReadOnlyList<RankAgreementRecord> GetAgreement(IReadOnlyCollection<long> targetIds)
    {
        if (targetIds.Count == 0) return [];
        using var c = database.Open();
        return c.Query<(long A, long B, double O10, double O50, double? S, long N)>(
                "SELECT target_a, target_b, overlap_at_10, overlap_at_50, spearman_top50_union, candidates FROM rank_agreement WHERE target_a IN @ids AND target_b IN @ids",
                new { ids = targetIds })
            .Select(r => new RankAgreementRecord(r.A, r.B, r.O10, r.O50, r.S, (int)r.N)).ToList();
    }

    public IReadOnlyList<AttributionTarget> GetTargetsOfRun(long runId)
    {
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation)>(
                "SELECT id, run_id, image_id, kind, category_coco_id, annotation_id FROM targets WHERE run_id = @runId ORDER BY id", new { runId })
            .Select(r => new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation)).ToList();
    }

    public IReadOnlyList<Appearance> GetAppearances(long trainImageId, IReadOnlyCollection<long> runIds, int limit)
    {
        if (runIds.Count == 0) return [];
        using var c = database.Open();
        return c.Query<(long Id, long RunId, long ImageId, string Kind, long? Category, long? Annotation, long Positive, long Rank, double Score)>(
                "SELECT t.id, t.run_id, t.image_id, t.kind, t.category_coco_id, t.annotation_id, k.positive, k.rank, k.score FROM topk k JOIN targets t ON t.id = k.target_id " +
                "WHERE k.train_image_id = @trainImageId AND t.run_id IN @runIds ORDER BY k.rank, k.positive DESC, t.id LIMIT @limit",
                new { trainImageId, runIds, limit })
            .Select(r => new Appearance(new AttributionTarget(r.Id, r.RunId, r.ImageId, r.Kind, (int?)r.Category, r.Annotation), r.Positive != 0, (int)r.Rank, (float)r.Score))
            .ToList();
    }

    public InfluenceHistogram GetInfluenceHistogram(long runId, int bins)
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

    public IReadOnlyList<Influencer> GetTopInfluencers(long targetId, bool positive, int k) => GetInfluencers(targetId, positive, 0, k);

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
