using System.Text.Json;
using AttributionExplorer.Core.Runs;
using System.Data.Common;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>The run ledger of both back ends, safe for workers on many machines sharing one PostgreSQL database. Every
/// state change is one conditional UPDATE (SQLite runs writers one at a time; PostgreSQL, under READ COMMITTED,
/// re-checks the condition on the row's newest version after waiting for a concurrent writer), so two workers never
/// both hold a lease. <see cref="ClaimNext"/> picks its run with the dialect's SKIP LOCKED: workers polling one queue
/// take different runs instead of queueing behind each other.</summary>
public sealed class RunLedgerRepository(ISqlDatabase database) : IRunLedger
{
    private const string Columns = "id, dataset_id, kind, identity, parameters_json, upstream_json, state, lease_owner, lease_expires_utc, attempts, error, result_json, created_utc, started_utc, finished_utc, seconds";

    public RunRecord Ensure(long datasetId, string kind, string identity, string parametersJson, IReadOnlyList<long> upstream)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        // Of two racing inserts the second waits for the first to commit, then does nothing; the read below sees the row.
        // ON CONFLICT takes an id from the sequence before it finds the conflict: the NOT EXISTS spares it when the run
        // is there already (every rerun of a pipeline), so run numbers grow with new runs only.
        c.Execute("INSERT INTO runs (dataset_id, kind, identity, parameters_json, upstream_json, state, created_utc) " +
                  "SELECT @datasetId, @kind, @identity, @parametersJson, @upstream, 'queued', @now " +
                  "WHERE NOT EXISTS (SELECT 1 FROM runs WHERE dataset_id = @datasetId AND identity = @identity) ON CONFLICT (dataset_id, identity) DO NOTHING",
            new { datasetId, kind, identity, parametersJson, upstream = JsonSerializer.Serialize(upstream), now = Now() }, tx);
        // Asking again for a cancelled run means the user wants it after all.
        c.Execute("UPDATE runs SET state = 'queued', error = NULL, finished_utc = NULL WHERE dataset_id = @datasetId AND identity = @identity AND state = 'cancelled'",
            new { datasetId, identity }, tx);
        var run = Query(c, "WHERE dataset_id = @datasetId AND identity = @identity", new { datasetId, identity }, tx).Single();
        tx.Commit();
        return run;
    }

    public RunRecord? Get(long runId)
    {
        using var c = database.Open();
        return Query(c, "WHERE id = @runId", new { runId }).FirstOrDefault();
    }

    public RunRecord? FindByIdentity(long datasetId, string identity)
    {
        using var c = database.Open();
        return Query(c, "WHERE dataset_id = @datasetId AND identity = @identity", new { datasetId, identity }).FirstOrDefault();
    }

    public IReadOnlyList<RunRecord> List(long datasetId, string? kind = null, RunState? state = null)
    {
        using var c = database.Open();
        return Query(c, "WHERE dataset_id = @datasetId AND (CAST(@kind AS text) IS NULL OR kind = @kind) AND (CAST(@state AS text) IS NULL OR state = @state) ORDER BY id DESC",
            new { datasetId, kind, state = state is { } s ? StateText(s) : null });
    }

    public RunRecord? TryClaim(long runId, string owner, TimeSpan lease, DateTime nowUtc)
    {
        using var c = database.Open();
        return Query(c,
            "UPDATE runs SET attempts = attempts + CASE WHEN state = 'running' AND lease_owner = @owner THEN 0 ELSE 1 END, " +
            "state = 'running', lease_owner = @owner, lease_expires_utc = @expires, error = NULL, " +
            "started_utc = COALESCE(started_utc, @now), finished_utc = NULL " +
            "WHERE id = @runId AND (state IN ('queued', 'failed') OR (state = 'running' AND (lease_owner = @owner OR lease_expires_utc IS NULL OR lease_expires_utc < @now))) " +
            $"RETURNING {Columns}",
            new { runId, owner, now = Text(nowUtc), expires = Text(nowUtc + lease) }, select: false).FirstOrDefault();
    }

    public RunRecord? ClaimNext(IReadOnlyCollection<string> kinds, string owner, TimeSpan lease, DateTime nowUtc, int maxAttempts)
    {
        using var c = database.Open();
        string now = Text(nowUtc);
        var kindList = kinds.ToArray();
        var dialect = database.Dialect;
        // Runs whose worker died too often fail with the reason instead of being retried forever; rows another worker
        // is changing right now are left to it.
        c.Execute("UPDATE runs SET state = 'failed', error = 'its worker stopped ' || attempts || ' times without finishing (lease expired); giving up', " +
                  "finished_utc = @now, lease_owner = NULL, lease_expires_utc = NULL " +
                  $"WHERE id IN (SELECT id FROM runs WHERE {dialect.InList("kind", "@kinds")} AND state = 'running' AND lease_expires_utc < @now AND attempts >= @maxAttempts{dialect.SkipLocked})",
            new { kinds = kindList, now, maxAttempts = (long)maxAttempts });
        return Query(c,
            "UPDATE runs SET state = 'running', lease_owner = @owner, lease_expires_utc = @expires, attempts = attempts + 1, started_utc = COALESCE(started_utc, @now) " +
            $"WHERE id = (SELECT id FROM runs WHERE {dialect.InList("kind", "@kinds")} AND (state = 'queued' OR (state = 'running' AND lease_expires_utc < @now)) " +
            $"ORDER BY id LIMIT 1{dialect.SkipLocked}) " +
            $"RETURNING {Columns}",
            new { kinds = kindList, owner, now, expires = Text(nowUtc + lease) }, select: false).FirstOrDefault();
    }

    public bool Renew(long runId, string owner, TimeSpan lease, DateTime nowUtc)
    {
        using var c = database.Open();
        return c.Execute("UPDATE runs SET lease_expires_utc = @expires WHERE id = @runId AND state = 'running' AND lease_owner = @owner",
            new { runId, owner, expires = Text(nowUtc + lease) }) == 1;
    }

    public void SaveUnit(long runId, string owner, RunUnit unit)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        RequireOwner(c, tx, runId, owner);
        c.Execute("INSERT INTO run_units (run_id, unit_key, value_json, seconds) VALUES (@runId, @Key, @ValueJson, @Seconds) " +
                  "ON CONFLICT (run_id, unit_key) DO UPDATE SET value_json = excluded.value_json, seconds = excluded.seconds",
            new { runId, unit.Key, unit.ValueJson, unit.Seconds }, tx);
        tx.Commit();
    }

    public IReadOnlyDictionary<string, RunUnit> Units(long runId)
    {
        using var c = database.Open();
        return c.Query<(string Key, string Value, double Seconds)>("SELECT unit_key, value_json, seconds FROM run_units WHERE run_id = @runId", new { runId })
            .ToDictionary(r => r.Key, r => new RunUnit(r.Key, r.Value, r.Seconds));
    }

    public void AddArtifact(long runId, string owner, RunArtifact artifact)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        RequireOwner(c, tx, runId, owner);
        c.Execute("INSERT INTO run_artifacts (run_id, name, path, sha256, bytes) VALUES (@runId, @Name, @path, @Sha256, @Bytes) " +
                  "ON CONFLICT (run_id, name) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, bytes = excluded.bytes",
            new { runId, artifact.Name, path = database.Paths.ToStored(database.Paths.ToFull(artifact.RelativePath)), artifact.Sha256, artifact.Bytes }, tx);
        tx.Commit();
    }

    public IReadOnlyList<RunArtifact> Artifacts(long runId)
    {
        using var c = database.Open();
        return c.Query<(string Name, string Path, string Sha, long Bytes)>("SELECT name, path, sha256, bytes FROM run_artifacts WHERE run_id = @runId ORDER BY name", new { runId })
            .Select(r => new RunArtifact(r.Name, r.Path, r.Sha, r.Bytes)).ToList();
    }

    public void Complete(long runId, string owner, string resultJson, double seconds)
    {
        using var c = database.Open();
        if (c.Execute("UPDATE runs SET state = 'complete', result_json = @resultJson, finished_utc = @now, seconds = @seconds, lease_owner = NULL, lease_expires_utc = NULL " +
                      "WHERE id = @runId AND state = 'running' AND lease_owner = @owner",
                new { runId, owner, resultJson, seconds, now = Now() }) != 1)
            throw new RunLeaseLostException(runId, owner);
    }

    public void Fail(long runId, string owner, string error, double seconds)
    {
        using var c = database.Open();
        c.Execute("UPDATE runs SET state = 'failed', error = @error, finished_utc = @now, seconds = @seconds, lease_owner = NULL, lease_expires_utc = NULL " +
                  "WHERE id = @runId AND state = 'running' AND lease_owner = @owner",
            new { runId, owner, error, seconds, now = Now() });
    }

    public bool Cancel(long runId)
    {
        using var c = database.Open();
        return c.Execute("UPDATE runs SET state = 'cancelled', finished_utc = @now, lease_owner = NULL, lease_expires_utc = NULL WHERE id = @runId AND state IN ('queued', 'running')",
            new { runId, now = Now() }) == 1;
    }

    /// <summary>Holds a share lock on the run until the caller commits, so no other worker can take the lease over
    /// between this check and the write it guards.</summary>
    private void RequireOwner(DbConnection c, DbTransaction tx, long runId, string owner)
    {
        if (c.ExecuteScalar<long?>($"SELECT id FROM runs WHERE id = @runId AND state = 'running' AND lease_owner = @owner{database.Dialect.ForShare}", new { runId, owner }, tx) is null)
            throw new RunLeaseLostException(runId, owner);
    }

    /// <summary>Runs read with <paramref name="where"/> after SELECT … FROM runs, or (select: false) the rows a whole
    /// statement returns (UPDATE … RETURNING).</summary>
    internal static IReadOnlyList<RunRecord> Query(DbConnection c, string where, object args, DbTransaction? tx = null, bool select = true) =>
        c.Query<Row>(select ? $"SELECT {Columns} FROM runs {where}" : where, args, tx).Select(r => r.ToRecord()).ToList();

    private static string Now() => Text(DateTime.UtcNow);
    private static string Text(DateTime t) => DapperSetup.ToText(t);

    public static string StateText(RunState state) => state.ToString().ToLowerInvariant();

    private sealed class Row
    {
        public long Id, DatasetId, Attempts;
        public string Kind = "", Identity = "", ParametersJson = "", UpstreamJson = "[]", State = "", CreatedUtc = "";
        public string? LeaseOwner, LeaseExpiresUtc, Error, ResultJson, StartedUtc, FinishedUtc;
        public double Seconds;

        public RunRecord ToRecord() => new(Id, DatasetId, Kind, Identity, ParametersJson, JsonSerializer.Deserialize<long[]>(UpstreamJson) ?? [],
            Enum.Parse<RunState>(State, ignoreCase: true), LeaseOwner, Utc(LeaseExpiresUtc), (int)Attempts, Error, ResultJson,
            Rows.ParseUtc(CreatedUtc), Utc(StartedUtc), Utc(FinishedUtc), Seconds);

        private static DateTime? Utc(string? s) => s is null ? null : Rows.ParseUtc(s);
    }
}
