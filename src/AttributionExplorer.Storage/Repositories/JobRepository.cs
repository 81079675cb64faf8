using AttributionExplorer.Core.Domain;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class JobRepository(SqliteDatabase database) : IJobRepository
{
    private const string Columns = "id, dataset_id, kind, status, request_json, result_target_id, result_json, error, worker, created_utc, started_utc, finished_utc";

    public long Enqueue(long datasetId, string kind, string requestJson)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>(
            "INSERT INTO jobs (dataset_id, kind, status, request_json, created_utc) VALUES (@datasetId, @kind, 'queued', @requestJson, @now) RETURNING id",
            new { datasetId, kind, requestJson, now = DapperSetup.ToText(DateTime.UtcNow) });
    }

    public JobRecord? ClaimNext(string worker)
    {
        using var c = database.Open();
        // One UPDATE … RETURNING is atomic, so two workers never claim the same job.
        long? id = c.ExecuteScalar<long?>(
            "UPDATE jobs SET status = 'running', worker = @worker, started_utc = @now WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1) AND status = 'queued' RETURNING id",
            new { worker, now = DapperSetup.ToText(DateTime.UtcNow) });
        return id is { } jobId ? Get(jobId) : null;
    }

    public void Complete(long jobId, long? resultTargetId, string resultJson)
    {
        using var c = database.Open();
        c.Execute("UPDATE jobs SET status = 'done', result_target_id = @resultTargetId, result_json = @resultJson, finished_utc = @now WHERE id = @jobId",
            new { jobId, resultTargetId, resultJson, now = DapperSetup.ToText(DateTime.UtcNow) });
    }

    public void Fail(long jobId, string error)
    {
        using var c = database.Open();
        c.Execute("UPDATE jobs SET status = 'failed', error = @error, finished_utc = @now WHERE id = @jobId",
            new { jobId, error, now = DapperSetup.ToText(DateTime.UtcNow) });
    }

    public JobRecord? Get(long jobId) => Query("WHERE id = @jobId", new { jobId }).FirstOrDefault();

    public IReadOnlyList<JobRecord> ListRecent(long datasetId, int limit) =>
        Query("WHERE dataset_id = @datasetId ORDER BY id DESC LIMIT @limit", new { datasetId, limit });

    public int RequeueRunning(string worker)
    {
        using var c = database.Open();
        return c.Execute("UPDATE jobs SET status = 'queued', worker = NULL, started_utc = NULL WHERE status = 'running' AND worker = @worker", new { worker });
    }

    private IReadOnlyList<JobRecord> Query(string where, object args)
    {
        using var c = database.Open();
        return c.Query<(long Id, long DatasetId, string Kind, string Status, string Request, long? Target, string? Result, string? Error, string? Worker, string Created, string? Started, string? Finished)>(
                $"SELECT {Columns} FROM jobs {where}", args)
            .Select(r => new JobRecord(r.Id, r.DatasetId, r.Kind, r.Status, r.Request, r.Target, r.Result, r.Error, r.Worker,
                Rows.ParseUtc(r.Created), r.Started is null ? null : Rows.ParseUtc(r.Started), r.Finished is null ? null : Rows.ParseUtc(r.Finished)))
            .ToList();
    }
}
