using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Core.Ports;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class EmbeddingRepository(ISqlDatabase database) : IEmbeddingRepository
{
    private const string SetColumns = "e.id, e.dataset_id, e.kind, e.dim, e.source, e.parameters_json, e.parameters_hash, e.created_utc, e.run_id";

    public long Save(long runId, long datasetId, string kind, string source, string parametersJson,
        IReadOnlyList<(long ImageId, float[] Vector)> vectors)
    {
        if (vectors.Count == 0) throw new ArgumentException($"{kind} embedding set for dataset {datasetId} has no vectors");
        int dim = vectors[0].Vector.Length;
        if (vectors.FirstOrDefault(v => v.Vector.Length != dim) is { Vector: not null } bad)
            throw new ArgumentException($"{kind} embedding of image {bad.ImageId} has {bad.Vector.Length} values, expected {dim}");
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        // A retried run replaces what an interrupted attempt wrote.
        c.Execute("DELETE FROM embedding_sets WHERE run_id = @runId", new { runId }, tx);
        long setId = c.ExecuteScalar<long>(
            "INSERT INTO embedding_sets (dataset_id, kind, dim, source, parameters_json, parameters_hash, created_utc, run_id) VALUES (@datasetId, @kind, @dim, @source, @parametersJson, (SELECT identity FROM runs WHERE id = @runId), @now, @runId) RETURNING id",
            new { datasetId, kind, dim, source = database.Paths.ToStored(source), parametersJson, runId, now = DapperSetup.ToText(DateTime.UtcNow) }, tx);
        database.Dialect.BulkInsert(c, tx, "embeddings", "set_id, image_id, vector", vectors,
            (row, v) => row.Long(setId).Long(v.ImageId).Bytes(ScoreCodec.Encode(v.Vector, ScoreDtype.Float32)));
        tx.Commit();
        return setId;
    }

    public EmbeddingSet? FindByRun(long runId) => QuerySets("WHERE e.run_id = @runId ORDER BY e.id DESC LIMIT 1", new { runId });

    public EmbeddingSet? GetLatest(long datasetId, string kind) =>
        QuerySets("JOIN runs r ON r.id = e.run_id WHERE e.dataset_id = @datasetId AND e.kind = @kind AND r.state = 'complete' ORDER BY e.id DESC LIMIT 1", new { datasetId, kind });

    public IReadOnlyDictionary<long, float[]> GetVectors(long setId)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, byte[] Data)>("SELECT image_id, vector FROM embeddings WHERE set_id = @setId", new { setId })
            .ToDictionary(r => r.ImageId, r => ScoreCodec.Decode(r.Data, ScoreDtype.Float32));
    }

    private EmbeddingSet? QuerySets(string where, object args)
    {
        using var c = database.Open();
        return c.Query<(long Id, long DatasetId, string Kind, long Dim, string Source, string Json, string Hash, string Created, long? RunId)>(
                $"SELECT {SetColumns} FROM embedding_sets e {where}", args)
            .Select(r => new EmbeddingSet(r.Id, r.DatasetId, r.Kind, (int)r.Dim, database.Paths.ToFull(r.Source), r.Json, r.Hash, Rows.ParseUtc(r.Created), r.RunId ?? 0))
            .FirstOrDefault();
    }
}
