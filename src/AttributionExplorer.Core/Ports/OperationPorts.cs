using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Ports;

/// <summary>On-demand jobs the web app queues for `precompute serve`: runs of kind "job.{kind}" in the ledger, so
/// they have its leases (a killed worker's job is claimed again once its lease expires).</summary>
public interface IJobRepository
{
    long Enqueue(long datasetId, string kind, string requestJson);
    JobRecord? Get(long jobId);
    IReadOnlyList<JobRecord> ListRecent(long datasetId, int limit);
    /// <summary>Records how far a running job is (<paramref name="fraction"/> clamped to 0–1) — only while
    /// <paramref name="worker"/> holds its lease; returns whether it was recorded.</summary>
    bool ReportProgress(long jobId, string worker, double fraction, string note);
}

/// <summary>Evaluation runs as the evaluation page reads them (they are ledger runs of kind "eval.{kind}").</summary>
public interface IEvaluationRepository
{
    EvaluationRun? Get(long evaluationId);
    /// <summary>The newest complete run of each kind for the dataset.</summary>
    IReadOnlyList<EvaluationRun> LatestComplete(long datasetId);
}
