namespace AttributionExplorer.Core.Runs;

/// <summary>Port: the run ledger. Every recorded computation is a run here; domain rows a run writes carry its id and
/// are read only while it is complete, so nothing half-written is ever visible.</summary>
public interface IRunLedger
{
    /// <summary>The run with this identity, or a new queued one (one transaction, so racing callers get the same run).</summary>
    RunRecord Ensure(long datasetId, string kind, string identity, string parametersJson, IReadOnlyList<long> upstream);
    RunRecord? Get(long runId);
    RunRecord? FindByIdentity(long datasetId, string identity);
    /// <summary>Runs of a dataset, newest first, optionally of one kind and/or state.</summary>
    IReadOnlyList<RunRecord> List(long datasetId, string? kind = null, RunState? state = null);

    /// <summary>Marks the run running under <paramref name="owner"/> until now + lease, if it is queued, failed (a
    /// retry), running with an expired lease (its worker died), or already held by the same owner. Returns the claimed run, or null when another
    /// worker's lease is live or the run is complete or cancelled.</summary>
    RunRecord? TryClaim(long runId, string owner, TimeSpan lease, DateTime nowUtc);
    /// <summary>Claims the oldest claimable run of one of <paramref name="kinds"/> (queued, or running with an expired
    /// lease and fewer than <paramref name="maxAttempts"/> attempts; past that it is failed with the reason).</summary>
    RunRecord? ClaimNext(IReadOnlyCollection<string> kinds, string owner, TimeSpan lease, DateTime nowUtc, int maxAttempts);
    /// <summary>Extends the lease; false when the owner no longer holds it (it expired and another worker claimed it).</summary>
    bool Renew(long runId, string owner, TimeSpan lease, DateTime nowUtc);

    /// <summary>Records a finished unit of the run (only while <paramref name="owner"/> holds the lease).</summary>
    void SaveUnit(long runId, string owner, RunUnit unit);
    IReadOnlyDictionary<string, RunUnit> Units(long runId);
    void AddArtifact(long runId, string owner, RunArtifact artifact);
    IReadOnlyList<RunArtifact> Artifacts(long runId);

    /// <summary>Running → complete with its result (only by the lease owner).</summary>
    void Complete(long runId, string owner, string resultJson, double seconds);
    void Fail(long runId, string owner, string error, double seconds);
    /// <summary>Queued or running → cancelled (a user's decision; the worker stops at its next unit).</summary>
    bool Cancel(long runId);
}
