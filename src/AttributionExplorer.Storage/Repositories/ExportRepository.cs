using System.Data.Common;
using System.Text.Json;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Core.Ports;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Both back ends; PostgreSQL overrides how the kept ids are checked and inserted (PgExportRepository).</summary>
public class ExportRepository(ISqlDatabase database) : IExportRepository
{
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
        if (AddImages(connection, tx, exportId, datasetId, ids) is long bad)
            throw new ArgumentException($"keptImageIds: image {bad} is not an image of dataset {datasetId}; nothing was saved", nameof(keptImageIds));
        tx.Commit();
        return exportId;
    }

    /// <summary>Inserts <paramref name="ids"/> as the export's images in their order, unless one is not an image of
    /// the dataset: then returns the first such id (the caller rolls back).</summary>
    protected virtual long? AddImages(DbConnection connection, DbTransaction tx, long exportId, long datasetId, long[] ids)
    {
        // Two statements for all ids (a JSON array parameter): check each is an image of the dataset, then insert them.
        string idList = JsonSerializer.Serialize(ids);
        long? foreign = connection.QueryFirstOrDefault<long?>(
            "SELECT j.value FROM json_each(@idList) j LEFT JOIN images i ON i.id = j.value " +
            "WHERE i.id IS NULL OR i.dataset_id <> @datasetId ORDER BY j.key LIMIT 1", new { idList, datasetId }, tx);
        if (foreign is not null) return foreign;
        connection.Execute("INSERT INTO export_images (export_id, position, image_id) SELECT @exportId, key, value FROM json_each(@idList)",
            new { exportId, idList }, tx);
        return null;
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
