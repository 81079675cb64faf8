using AttributionExplorer.Core.Exports;
using AttributionExplorer.Core.Ports;
using System.Text.Json;
using AttributionExplorer.Storage.Repositories;
using Dapper;

namespace AttributionExplorer.Storage.Postgres.Repositories;

public sealed class PgExportRepository(PostgresDatabase database) : IExportRepository
{
    /// <summary>Held shared while an export is written; the trigger that keeps exported images takes it exclusively.</summary>
    private const long ExportLock = 0x414545585053;
    private const string Columns = "id AS Id, dataset_id AS DatasetId, author AS Author, created_utc AS CreatedUtc, rule_json AS RuleJson, image_count AS ImageCount, sha256 AS Sha256";

    public long Save(long datasetId, string author, ExportRule rule, IReadOnlyList<long> keptImageIds)
    {
        if (string.IsNullOrWhiteSpace(author)) throw new ArgumentException("author: give who made the export", nameof(author));
        rule.Validated();
        var ids = keptImageIds.Order().ToArray();
        for (int i = 1; i < ids.Length; i++)
            if (ids[i] == ids[i - 1]) throw new ArgumentException($"keptImageIds: image {ids[i]} is listed twice", nameof(keptImageIds));

        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM datasets WHERE id = @datasetId", new { datasetId }, tx) == 0)
            throw new KeyNotFoundException($"dataset {datasetId} does not exist");
        string created = DapperSetup.ToText(DateTime.UtcNow), sha = ExportHash.Of(ids);
        // Every export is a run of the ledger, complete in the same transaction that writes it.
        long ledgerRunId = connection.ExecuteScalar<long>(
            "INSERT INTO runs (dataset_id, kind, identity, parameters_json, upstream_json, state, attempts, result_json, created_utc, started_utc, finished_utc, lease_owner) " +
            "VALUES (@datasetId, 'export', @identity, @ruleJson, @upstream, 'complete', 1, @result, @created, @created, @created, NULL) RETURNING id",
            new { datasetId, identity = "export-" + Guid.NewGuid().ToString("N"), ruleJson = rule.ToJson(), upstream = rule.RunId is { } r ? $"[{r}]" : "[]",
                result = JsonSerializer.Serialize(new { images = ids.Length, sha256 = sha }), created }, tx);
        long exportId = connection.ExecuteScalar<long>(
            "INSERT INTO exports (dataset_id, author, created_utc, rule_json, run_id, image_count, sha256, ledger_run_id) VALUES (@datasetId, @author, @created, @ruleJson, @runId, @count, @sha, @ledgerRunId) RETURNING id",
            new { datasetId, author = author.Trim(), created, ruleJson = rule.ToJson(), runId = rule.RunId, count = ids.Length, sha, ledgerRunId }, tx);

        // Set-based, one array parameter: count the ids that are images of the dataset (only when some are not, find
        // the first), then insert them all. The lock keeps an image deleted meanwhile from escaping the check (migration 2).
        connection.Execute("SELECT pg_advisory_xact_lock_shared(@ExportLock)", new { ExportLock }, tx);
        long owned = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM images WHERE id = ANY(@ids) AND dataset_id = @datasetId", new { ids, datasetId }, tx);
        if (owned != ids.Length)
        {
            long bad = connection.QueryFirst<long>(
                "SELECT x.id FROM unnest(@ids) WITH ORDINALITY AS x(id, n) LEFT JOIN images i ON i.id = x.id " +
                "WHERE i.id IS NULL OR i.dataset_id <> @datasetId ORDER BY x.n LIMIT 1", new { ids, datasetId }, tx);
            throw new ArgumentException($"keptImageIds: image {bad} is not an image of dataset {datasetId}; nothing was saved", nameof(keptImageIds));
        }
        connection.Execute("INSERT INTO export_images (export_id, position, image_id) SELECT @exportId, x.n - 1, x.id FROM unnest(@ids) WITH ORDINALITY AS x(id, n)",
            new { exportId, ids }, tx);
        tx.Commit();
        return exportId;
    }

    public ExportRecord? Get(long exportId)
    {
        using var c = database.Open();
        return c.Query<Row>($"SELECT {Columns} FROM exports WHERE id = @exportId", new { exportId }).FirstOrDefault()?.ToRecord();
    }

    public IReadOnlyList<ExportRecord> List(long datasetId, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<Row>($"SELECT {Columns} FROM exports WHERE dataset_id = @datasetId ORDER BY id DESC LIMIT @limit OFFSET @offset",
            new { datasetId, limit, offset }).Select(r => r.ToRecord()).ToList();
    }

    public IReadOnlyList<long> GetImageIds(long exportId)
    {
        using var c = database.Open();
        return c.Query<long>("SELECT image_id FROM export_images WHERE export_id = @exportId ORDER BY position", new { exportId }).ToList();
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public long DatasetId { get; init; }
        public long ImageCount { get; init; }
        public string Author { get; init; } = "";
        public string CreatedUtc { get; init; } = "";
        public string RuleJson { get; init; } = "";
        public string Sha256 { get; init; } = "";

        public ExportRecord ToRecord() => new(Id, DatasetId, Author, Rows.ParseUtc(CreatedUtc),
            ExportRule.FromJson(RuleJson, $"exports.rule_json of export {Id}"), (int)ImageCount, Sha256);
    }
}
