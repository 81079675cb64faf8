using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using AttributionExplorer.Core.Stability;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class RankingRunRepository(ISqlDatabase database) : IRankingRunRepository
{
    internal const string Select =
        "SELECT a.id AS Id, a.dataset_id AS DatasetId, a.method AS Method, a.target_kind AS TargetKind, r.state AS Status, r.parameters_json AS ParametersJson, " +
        "r.identity AS ParametersHash, COALESCE(r.result_json, '{}') AS TimingsJson, a.train_count AS TrainCount, COALESCE(r.started_utc, r.created_utc) AS StartedUtc, r.finished_utc AS FinishedUtc " +
        "FROM attribution_runs a JOIN runs r ON r.id = a.id";

    public void Begin(long runId, long datasetId, string method, string targetKind, IReadOnlyList<long> trainImageIdsInScoreOrder)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        // A retried run starts its rows afresh (its targets, scores and top-k go with them).
        c.Execute("DELETE FROM attribution_runs WHERE id = @runId", new { runId }, tx);
        c.Execute("INSERT INTO attribution_runs (id, dataset_id, method, target_kind, train_count) VALUES (@runId, @datasetId, @method, @targetKind, @count)",
            new { runId, datasetId, method, targetKind, count = trainImageIdsInScoreOrder.Count }, tx);
        database.Dialect.BulkInsert(c, tx, "run_train_order", "run_id, position, image_id", Enumerable.Range(0, trainImageIdsInScoreOrder.Count),
            (row, p) => row.Long(runId).Long(p).Long(trainImageIdsInScoreOrder[p]));
        tx.Commit();
        // The earlier attempt's score shards went with its rows; their files go too.
        ScoreShards.DeleteRun(database.Paths, runId);
    }

    public void BeginOnDemand(long runId, long baseRunId)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        // Two workers beginning the same on-demand run: the insert of one waits for the other and then does nothing.
        int inserted = c.Execute("INSERT INTO attribution_runs (id, dataset_id, method, target_kind, train_count) " +
                                 "SELECT @runId, dataset_id, method, @region, train_count FROM attribution_runs WHERE id = @baseRunId ON CONFLICT (id) DO NOTHING",
            new { runId, baseRunId, region = TargetKinds.Region }, tx);
        if (inserted == 1)
            c.Execute("INSERT INTO run_train_order (run_id, position, image_id) SELECT @runId, position, image_id FROM run_train_order WHERE run_id = @baseRunId",
                new { runId, baseRunId }, tx);
        else if (c.ExecuteScalar<long?>("SELECT id FROM attribution_runs WHERE id = @baseRunId", new { baseRunId }, tx) is null)
            throw new KeyNotFoundException($"run {baseRunId} does not exist");
        tx.Commit();
    }

    public AttributionRun? Get(long runId) => Query("WHERE a.id = @runId", new { runId }).FirstOrDefault();

    public AttributionRun? GetLatestComplete(long datasetId, string method, string targetKind) =>
        Query("WHERE a.dataset_id = @datasetId AND a.method = @method AND a.target_kind = @targetKind AND r.state = 'complete' ORDER BY a.id DESC LIMIT 1",
            new { datasetId, method, targetKind }).FirstOrDefault();

    public IReadOnlyList<AttributionRun> ListComplete(long datasetId) =>
        Query("WHERE a.dataset_id = @datasetId AND r.state = 'complete' ORDER BY a.id", new { datasetId });

    public IReadOnlyList<AttributionRun> LatestCompletePerKind(long datasetId) =>
        Query("WHERE a.id IN (SELECT MAX(l.id) FROM attribution_runs l JOIN runs lr ON lr.id = l.id " +
              "WHERE l.dataset_id = @datasetId AND lr.state = 'complete' GROUP BY l.method, l.target_kind) ORDER BY a.id", new { datasetId });

    public IReadOnlyList<long> GetTrainOrder(long runId)
    {
        using var c = database.Open();
        return c.Query<long>("SELECT image_id FROM run_train_order WHERE run_id = @runId ORDER BY position", new { runId }).ToList();
    }

    public void RecordReliability(long runId, Reliability reliability)
    {
        using var c = database.Open();
        c.Execute("INSERT INTO run_reliability (run_id, split_half, detail) VALUES (@runId, @SplitHalf, @Detail) " +
                  "ON CONFLICT (run_id) DO UPDATE SET split_half = excluded.split_half, detail = excluded.detail",
            new { runId, reliability.SplitHalf, reliability.Detail });
    }

    public Reliability? GetReliability(long runId)
    {
        using var c = database.Open();
        return c.Query<(double? SplitHalf, string Detail)>("SELECT split_half, detail FROM run_reliability WHERE run_id = @runId", new { runId })
            .Select(r => new Reliability(r.SplitHalf, r.Detail)).FirstOrDefault();
    }

    public void RecordKernels(long runId, IReadOnlyList<KernelFigures> kernels)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM run_kernels WHERE run_id = @runId", new { runId }, tx);
        c.Execute("INSERT INTO run_kernels (run_id, checkpoint_id, train_images, projection_dim, ridge, smallest_eigenvalue, largest_eigenvalue, eigenvalues_below_ridge) VALUES (@runId, @CheckpointId, @TrainImages, @ProjectionDim, @Ridge, @SmallestEigenvalue, @LargestEigenvalue, @EigenvaluesBelowRidge)",
            kernels.Select(k => new { runId, k.CheckpointId, k.TrainImages, k.ProjectionDim, k.Ridge, k.SmallestEigenvalue, k.LargestEigenvalue, k.EigenvaluesBelowRidge }), tx);
        tx.Commit();
    }

    public IReadOnlyList<KernelFigures> GetKernels(long runId)
    {
        using var c = database.Open();
        return c.Query<(long Checkpoint, long N, long K, double Ridge, double Smallest, double Largest, long Below)>(
                "SELECT checkpoint_id, train_images, projection_dim, ridge, smallest_eigenvalue, largest_eigenvalue, eigenvalues_below_ridge " +
                "FROM run_kernels WHERE run_id = @runId ORDER BY checkpoint_id", new { runId })
            .Select(r => new KernelFigures(r.Checkpoint, (int)r.N, (int)r.K, r.Ridge, r.Smallest, r.Largest, (int)r.Below)).ToList();
    }

    private IReadOnlyList<AttributionRun> Query(string where, object args)
    {
        using var c = database.Open();
        return c.Query<Rows.Run>($"{Select} {where}", args).Select(r => r.ToRecord()).ToList();
    }
}
