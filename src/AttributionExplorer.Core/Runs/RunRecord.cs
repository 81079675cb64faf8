namespace AttributionExplorer.Core.Runs;

/// <summary>queued → running (a worker holds its lease) → complete | failed | cancelled. A running run whose lease
/// expired is claimable again: the next worker resumes it from its last completed unit.</summary>
public enum RunState { Queued, Running, Complete, Failed, Cancelled }

/// <summary>One recorded computation in the run ledger. <see cref="Identity"/> is the content hash of its kind,
/// dataset, parameters and upstream runs: the same inputs find the same run, changed inputs make a new one.</summary>
public sealed record RunRecord(long Id, long DatasetId, string Kind, string Identity, string ParametersJson,
    IReadOnlyList<long> Upstream, RunState State, string? LeaseOwner, DateTime? LeaseExpiresUtc, int Attempts,
    string? Error, string? ResultJson, DateTime CreatedUtc, DateTime? StartedUtc, DateTime? FinishedUtc, double Seconds)
{
    public bool IsComplete => State == RunState.Complete;
}

/// <summary>A file a run wrote, relative to the data root, with its SHA-256 (checked when read back).</summary>
public sealed record RunArtifact(string Name, string RelativePath, string Sha256, long Bytes);

/// <summary>A unit of a run that is done: its key and its recorded value (JSON).</summary>
public sealed record RunUnit(string Key, string ValueJson, double Seconds);
