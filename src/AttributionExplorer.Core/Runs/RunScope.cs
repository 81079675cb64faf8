using System.Diagnostics;
using System.Text.Json;

namespace AttributionExplorer.Core.Runs;

/// <summary>What a run's body sees while it holds the lease: the run, its finished units (resume from them), and a
/// heartbeat that renews the lease in the background. Once the lease is lost every write throws
/// <see cref="RunLeaseLostException"/>.</summary>
public sealed class RunScope : IDisposable
{
    private readonly IRunLedger ledger;
    private readonly string owner;
    private readonly TimeSpan lease;
    private readonly Func<DateTime> now;
    private readonly Dictionary<string, RunUnit> units;
    private readonly Timer heartbeat;
    private volatile bool lost;

    internal RunScope(IRunLedger ledger, RunRecord run, string owner, TimeSpan lease, Func<DateTime> now)
    {
        this.ledger = ledger;
        this.owner = owner;
        this.lease = lease;
        this.now = now;
        Run = run;
        units = new Dictionary<string, RunUnit>(ledger.Units(run.Id));
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, lease.Ticks / 3));
        heartbeat = new Timer(_ => Beat(), null, period, period);
    }

    public RunRecord Run { get; }
    public long RunId => Run.Id;
    public IReadOnlyDictionary<string, RunUnit> Units => units;

    /// <summary>The unit's recorded value when an earlier attempt finished it, else computes and records it.</summary>
    public T Unit<T>(string key, Func<T> compute)
    {
        if (units.TryGetValue(key, out var done)) return JsonSerializer.Deserialize<T>(done.ValueJson, RunExecutor.ResultJson)!;
        EnsureLease();
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

    private void Beat()
    {
        if (lost) return;
        try
        {
            if (!ledger.Renew(Run.Id, owner, lease, now())) lost = true;
        }
        catch (Exception)
        {
            // A busy database now and then is fine: the lease lasts three beats.
        }
    }

    internal void StopHeartbeat() => heartbeat.Change(Timeout.Infinite, Timeout.Infinite);

    public void Dispose() => heartbeat.Dispose();
}
