using System.Diagnostics;
using System.Text.Json;

namespace AttributionExplorer.Core.Runs;

/// <summary>What a run's body sees while it holds the lease: the run, its finished units (resume from them), and a
/// heartbeat that keeps the lease. Once the lease is lost every write throws <see cref="RunLeaseLostException"/>.
/// The lease is renewed on the working thread where it can be (<see cref="RenewDueOnThisThread"/>, called by the
/// worker's progress reports and between units): a background thread that allocates while the working thread sits in
/// libtorch can start a garbage collection that frees a TorchSharp Scalar the native call still reads (README, Known
/// problems). The timer renews only when the working thread has not for half the lease (a long native step).</summary>
public sealed class RunScope : IDisposable
{
    private readonly IRunLedger ledger;
    private readonly string owner;
    private readonly TimeSpan lease;
    private readonly Func<DateTime> now;
    private readonly Dictionary<string, RunUnit> units;
    private readonly Timer heartbeat;
    private readonly TimeSpan renewEvery, fallbackAfter;
    private long lastRenewal = Stopwatch.GetTimestamp();
    private volatile bool lost;
    [ThreadStatic] private static List<RunScope>? onThisThread;

    internal RunScope(IRunLedger ledger, RunRecord run, string owner, TimeSpan lease, Func<DateTime> now)
    {
        this.ledger = ledger;
        this.owner = owner;
        this.lease = lease;
        this.now = now;
        Run = run;
        units = new Dictionary<string, RunUnit>(ledger.Units(run.Id));
        renewEvery = lease / 4;
        fallbackAfter = lease / 2;
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(20).Ticks, lease.Ticks / 8));
        (onThisThread ??= []).Add(this);
        heartbeat = new Timer(_ => Beat(), null, tick, tick);
    }

    /// <summary>Renews, on the calling thread, the lease of every run scope this thread holds whose last renewal is a
    /// quarter of the lease old or more. Cheap when none is due (no allocation, no database).</summary>
    public static void RenewDueOnThisThread()
    {
        if (onThisThread is not { Count: > 0 } scopes) return;
        foreach (var scope in scopes) if (scope.Since() >= scope.renewEvery) scope.Renew();
    }

    private TimeSpan Since() => Stopwatch.GetElapsedTime(Interlocked.Read(ref lastRenewal));

    public RunRecord Run { get; }
    public long RunId => Run.Id;
    public IReadOnlyDictionary<string, RunUnit> Units => units;

    /// <summary>The unit's recorded value when an earlier attempt finished it, else computes and records it.</summary>
    public T Unit<T>(string key, Func<T> compute)
    {
        if (units.TryGetValue(key, out var done)) return JsonSerializer.Deserialize<T>(done.ValueJson, RunExecutor.ResultJson)!;
        EnsureLease();
        RenewDueOnThisThread();
        var clock = Stopwatch.StartNew();
        var value = compute();
        var unit = new RunUnit(key, JsonSerializer.Serialize(value, RunExecutor.ResultJson), clock.Elapsed.TotalSeconds);
        EnsureLease();
        ledger.SaveUnit(Run.Id, owner, unit);
        units[key] = unit;
        return value;
    }

    public bool HasUnit(string key) => units.ContainsKey(key);

    public void AddArtifact(RunArtifact artifact)
    {
        EnsureLease();
        ledger.AddArtifact(Run.Id, owner, artifact);
    }

    /// <summary>Throws when the lease was lost (call between long steps to stop early).</summary>
    public void EnsureLease()
    {
        if (lost) throw new RunLeaseLostException(Run.Id, owner);
    }

    /// <summary>The timer's fallback: renews only when the working thread has not for half the lease.</summary>
    private void Beat()
    {
        if (!lost && Since() >= fallbackAfter) Renew();
    }

    private void Renew()
    {
        if (lost) return;
        try
        {
            if (!ledger.Renew(Run.Id, owner, lease, now())) lost = true;
            else Interlocked.Exchange(ref lastRenewal, Stopwatch.GetTimestamp());
        }
        catch (Exception)
        {
            // A busy database now and then is fine: the next attempt comes long before the lease ends.
        }
    }

    internal void StopHeartbeat() => heartbeat.Change(Timeout.Infinite, Timeout.Infinite);

    public void Dispose()
    {
        heartbeat.Dispose();
        onThisThread?.Remove(this);
    }
}
