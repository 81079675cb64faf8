using System.Diagnostics;
using System.Text.Json;

namespace AttributionExplorer.Core.Runs;

/// <summary>What one execution found: the run, its typed result, and whether it was already complete (nothing done).</summary>
public sealed record RunOutcome<TResult>(RunRecord Run, TResult Result, bool Reused);

/// <summary>The one lifecycle of every recorded computation: find the run by its identity → complete: reuse its result;
/// otherwise claim its lease (a heartbeat keeps it), run the body (which records units as it finishes them, so a
/// later claim resumes), then complete or fail it. A run whose worker died is claimable once its lease expires.</summary>
public sealed class RunExecutor(IRunLedger ledger, string owner, TimeSpan? lease = null, Func<DateTime>? clock = null)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(2);
    private readonly TimeSpan lease = lease ?? DefaultLease;
    private readonly Func<DateTime> now = clock ?? (() => DateTime.UtcNow);

    public string Owner => owner;
    public IRunLedger Ledger => ledger;

    /// <summary>The run these inputs identify (created queued if new), without running it.</summary>
    public RunRecord Ensure<TParams>(long datasetId, string datasetVersion, TParams parameters, IReadOnlyList<long> upstream)
        where TParams : IRunParameters
    {
        string json = RunParameters.Serialize(parameters);
        string identity = RunParameters.Identity(parameters.RunKind, datasetId, datasetVersion, json, upstream);
        return ledger.Ensure(datasetId, parameters.RunKind, identity, json, upstream);
    }

    public RunOutcome<TResult> Execute<TParams, TResult>(long datasetId, string datasetVersion, TParams parameters,
        IReadOnlyList<long> upstream, Func<RunScope, TResult> body) where TParams : IRunParameters =>
        Execute(Ensure(datasetId, datasetVersion, parameters, upstream), body);

    /// <summary>Runs (or reuses) an existing ledger entry, e.g. one the web app queued.</summary>
    public RunOutcome<TResult> Execute<TResult>(RunRecord run, Func<RunScope, TResult> body) =>
        TryExecute(run, body, out var busy) ?? throw Busy(busy);

    /// <summary><see cref="Execute{TParams,TResult}"/>, except that a run another worker is computing right now is waited
    /// for (looked at every <paramref name="poll"/>): its result is reused once it completes, or this worker takes the run
    /// over once the other's lease expires. For a small run that several workers need at the same moment, such as the
    /// on-demand run the first region jobs on several workers all add to. Throws as Execute does after <paramref name="maxWait"/>.</summary>
    public RunOutcome<TResult> ExecuteOrWait<TParams, TResult>(long datasetId, string datasetVersion, TParams parameters,
        IReadOnlyList<long> upstream, Func<RunScope, TResult> body, TimeSpan poll, TimeSpan maxWait) where TParams : IRunParameters
    {
        var run = Ensure(datasetId, datasetVersion, parameters, upstream);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (TryExecute(run, body, out var busy) is { } outcome) return outcome;
            if (waited.Elapsed >= maxWait) throw Busy(busy);
            Thread.Sleep(poll);
            run = busy;
        }
    }

    private static InvalidOperationException Busy(RunRecord run) =>
        new($"run {run.Id} ({run.Kind}) is being computed by {run.LeaseOwner} (lease until {run.LeaseExpiresUtc:u}); wait for it, or for its lease to expire if that worker died");

    /// <summary>Reuses, or claims and runs; null (with the run as it stands in <paramref name="busy"/>) when another
    /// worker holds its lease.</summary>
    private RunOutcome<TResult>? TryExecute<TResult>(RunRecord run, Func<RunScope, TResult> body, out RunRecord busy)
    {
        busy = run;
        if (run.IsComplete) return new(run, ReadResult<TResult>(run), Reused: true);
        var claimed = ledger.TryClaim(run.Id, owner, lease, now());
        if (claimed is null)
        {
            var current = ledger.Get(run.Id) ?? throw new InvalidOperationException($"run {run.Id} disappeared");
            if (current.IsComplete) return new(current, ReadResult<TResult>(current), Reused: true);
            if (current.State == RunState.Cancelled) throw new InvalidOperationException($"run {run.Id} ({run.Kind}) was cancelled");
            busy = current;
            return null;
        }
        var clockWatch = Stopwatch.StartNew();
        using var scope = new RunScope(ledger, claimed, owner, lease, now);
        try
        {
            var result = body(scope);
            scope.StopHeartbeat();
            ledger.Complete(run.Id, owner, JsonSerializer.Serialize(result, ResultJson), claimed.Seconds + clockWatch.Elapsed.TotalSeconds);
            return new(ledger.Get(run.Id)!, result, Reused: false);
        }
        catch (RunLeaseLostException)
        {
            throw;
        }
        catch (Exception e)
        {
            scope.StopHeartbeat();
            ledger.Fail(run.Id, owner, e.Message, claimed.Seconds + clockWatch.Elapsed.TotalSeconds);
            throw;
        }
    }

    /// <summary>Results and units as System.Text.Json writes them by default (the evaluation page reads them so).</summary>
    internal static readonly JsonSerializerOptions ResultJson = new();

    public static TResult ReadResult<TResult>(RunRecord run) =>
        JsonSerializer.Deserialize<TResult>(run.ResultJson ?? "null", ResultJson)!;
}
