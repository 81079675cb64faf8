using System.Text.Json;
using AttributionExplorer.Core.Runs;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>SQLite adapter of the run ledger. Every state change is one conditional UPDATE (… RETURNING), so two
/// workers never both hold a lease.</summary>
public sealed class RunLedgerRepository(SqliteDatabase database) : IRunLedger
{
    private const string Columns = "id, dataset_id, kind, identity, parameters_json, upstream_json, state, lease_owner, lease_expires_utc, attempts, error, result_json, created_utc, started_utc, finished_utc, seconds";

    public RunRecord Ensure(long datasetId, string kind, string identity, string parametersJson, IReadOnlyList<long> upstream)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO runs (dataset_id, kind, identity, parameters_json, upstream_json, state, created_utc) " +
                  "VALUES (@datasetId, @kind, @identity, @parametersJson, @upstream, 'queued', @now) ON CONFLICT (dataset_id, identity) DO NOTHING",
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
        return Query(c, "WHERE dataset_id = @datasetId AND (@kind IS NULL OR kind = @kind) AND (@state IS NULL OR state = @state) ORDER BY id DESC",
            new { datasetId, kind, state = state is { } s ? StateText(s) : null });
    }

    public RunRecord? TryClaim(long runId, string owner, TimeSpan lease, DateTime nowUtc)
    {
        using var c = database.Open();
        long? id = c.ExecuteScalar<long?>(
            "UPDATE runs SET attempts = attempts + CASE WHEN state = 'running' AND lease_owner = @owner THEN 0 ELSE 1 END, " +
            "state = 'running', lease_owner = @owner, lease_expires_utc = @expires, error = NULL, " +
            "started_utc = COALESCE(started_utc, @now), finished_utc = NULL " +
            "WHERE id = @runId AND (state IN ('queued', 'failed') OR (state = 'running' AND (lease_owner = @owner OR lease_expires_utc IS NULL OR lease_expires_utc < @now))) RETURNING id",
            new { runId, owner, now = Text(nowUtc), expires = Text(nowUtc + lease) });
        return id is null ? null : Get(runId);
    }

    public RunRecord? ClaimNext(IReadOnlyCollection<string> kinds, string owner, TimeSpan lease, DateTime nowUtc, int maxAttempts)
    {
        using var c = database.Open();
        string now = Text(nowUtc);
        // Runs whose worker died too often fail with the reason instead of being retried forever.
        c.Execute("UPDATE runs SET state = 'failed', error = 'its worker stopped ' || attempts || ' times without finishing (lease expired); giving up', finished_utc = @now, lease_owner = NULL, lease_expires_utc = NULL " +
                  "WHERE kind IN @kinds AND state = 'running' AND lease_expires_utc < @now AND attempts >= @maxAttempts",
            new { kinds, now, maxAttempts });
        long? id = c.ExecuteScalar<long?>(
            "UPDATE runs SET state = 'running', lease_owner = @owner, lease_expires_utc = @expires, attempts = attempts + 1, started_utc = COALESCE(started_utc, @now) " +
            "WHERE id = (SELECT id FROM runs WHERE kind IN @kinds AND (state = 'queued' OR (state = 'running' AND lease_expires_utc < @now)) ORDER BY id LIMIT 1) " +
            "AND (state = 'queued' OR (state = 'running' AND lease_expires_utc < @now)) RETURNING id",
            new { kinds, owner, now, expires = Text(nowUtc + lease) });
        return id is { } runId ? Query(c, "WHERE id = @runId", new { runId }).Single() : null;
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
        c.Execute("INSERT OR REPLACE INTO run_units (run_id, unit_key, value_json, seconds) VALUES (@runId, @Key, @ValueJson, @Seconds)",
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
        c.Execute("INSERT OR REPLACE INTO run_artifacts (run_id, name, path, sha256, bytes) VALUES (@runId, @Name, @path, @Sha256, @Bytes)",
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

    private static void RequireOwner(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, long runId, string owner)
    {
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM runs WHERE id = @runId AND state = 'running' AND lease_owner = @owner", new { runId, owner }, tx) != 1)
            throw new RunLeaseLostException(runId, owner);
    }

    internal static IReadOnlyList<RunRecord> Query(System.Data.Common.DbConnection c, string where, object args, System.Data.Common.DbTransaction? tx = null) =>
        c.Query<Row>($"SELECT {Columns} FROM runs {where}", args, tx).Select(r => r.ToRecord()).ToList();

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
