using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using AttributionExplorer.Core.Runs;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Jobs are ledger runs of kind "job.{kind}" with a unique identity each; status maps from the run's state
/// (complete → done, cancelled → failed). Workers claim them through the ledger (leases; on PostgreSQL from any
/// machine, FOR UPDATE SKIP LOCKED).</summary>
public sealed class JobRepository(ISqlDatabase database) : IJobRepository
{
    public const string KindPrefix = "job.";

    public static string RunKind(string jobKind) => KindPrefix + jobKind;

    public long Enqueue(long datasetId, string kind, string requestJson)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>(
            "INSERT INTO runs (dataset_id, kind, identity, parameters_json, state, created_utc) VALUES (@datasetId, @kind, @identity, @requestJson, 'queued', @now) RETURNING id",
            new { datasetId, kind = RunKind(kind), identity = "job-" + Guid.NewGuid().ToString("N"), requestJson, now = DapperSetup.ToText(DateTime.UtcNow) });
    }

    public JobRecord? Get(long jobId)
    {
        using var c = database.Open();
        return RunLedgerRepository.Query(c, "WHERE id = @jobId AND kind LIKE 'job.%'", new { jobId }).Select(r => WithProgress(c, ToJob(r))).FirstOrDefault();
    }

    public IReadOnlyList<JobRecord> ListRecent(long datasetId, int limit)
    {
        using var c = database.Open();
        return RunLedgerRepository.Query(c, "WHERE dataset_id = @datasetId AND kind LIKE 'job.%' ORDER BY id DESC LIMIT @limit", new { datasetId, limit })
            .Select(r => WithProgress(c, ToJob(r))).ToList();
    }

    public bool ReportProgress(long jobId, string worker, double fraction, string note)
    {
        if (!double.IsFinite(fraction)) throw new ArgumentException($"job {jobId}: progress must be a finite number, not {fraction}", nameof(fraction));
        using var c = database.Open();
        return c.Execute("UPDATE runs SET progress = @progress, progress_note = @note WHERE id = @jobId AND kind LIKE 'job.%' AND state = 'running' AND lease_owner = @worker",
            new { jobId, worker, progress = Math.Clamp(fraction, 0, 1), note }) == 1;
    }

    /// <summary>The progress columns (migration 0014) and, while queued, how many jobs wait before it.</summary>
    private static JobRecord WithProgress(System.Data.Common.DbConnection c, JobRecord job)
    {
        var (progress, note) = c.QuerySingle<(double?, string?)>("SELECT progress, progress_note FROM runs WHERE id = @Id", new { job.Id });
        int ahead = job.Status == JobStatus.Queued
            ? c.ExecuteScalar<int>("SELECT COUNT(*) FROM runs WHERE kind LIKE 'job.%' AND state = 'queued' AND id < @Id", new { job.Id })
            : 0;
        // A finished job is wholly done whatever it last reported; a failed one keeps where it stopped.
        return job with { Progress = job.Status == JobStatus.Done ? 1 : progress, ProgressNote = note, Ahead = ahead };
    }

    /// <summary>What a job's run records as its result: the target it produced and a free-form summary.</summary>
    public sealed record JobResult(long? ResultTargetId, JsonElement? Result);

    public static JobRecord ToJob(RunRecord run)
    {
        var result = run.ResultJson is null ? null : JsonSerializer.Deserialize<JobResult>(run.ResultJson, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        string status = run.State switch
        {
            RunState.Queued => JobStatus.Queued,
            RunState.Running => JobStatus.Running,
            RunState.Complete => JobStatus.Done,
            _ => JobStatus.Failed,
        };
        return new JobRecord(run.Id, run.DatasetId, run.Kind[KindPrefix.Length..], status, run.ParametersJson, result?.ResultTargetId,
            result?.Result?.GetRawText(), run.State == RunState.Cancelled ? run.Error ?? "cancelled" : run.Error, run.LeaseOwner,
            run.CreatedUtc, run.StartedUtc, run.FinishedUtc);
    }
}
