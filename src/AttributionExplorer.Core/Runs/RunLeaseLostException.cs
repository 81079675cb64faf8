namespace AttributionExplorer.Core.Runs;

/// <summary>The worker no longer holds the run's lease (it expired, the run was cancelled, or another worker took it
/// over): it must stop writing.</summary>
public sealed class RunLeaseLostException(long runId, string owner)
    : InvalidOperationException($"run {runId}: worker {owner} no longer holds its lease (expired, cancelled or taken over)");
