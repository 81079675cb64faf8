using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class EmbeddingRepository(SqliteDatabase database) : IEmbeddingRepository
{
    private const string SetColumns = "id, dataset_id, kind, dim, source, parameters_json, parameters_hash, created_utc";

    public long Save(long datasetId, string kind, string source, string parametersJson, string parametersHash,
        IReadOnlyList<(long ImageId, float[] Vector)> vectors)
    {
        if (vectors.Count == 0) throw new ArgumentException($"{kind} embedding set for dataset {datasetId} has no vectors");
        int dim = vectors[0].Vector.Length;
        if (vectors.FirstOrDefault(v => v.Vector.Length != dim) is { Vector: not null } bad)
            throw new ArgumentException($"{kind} embedding of image {bad.ImageId} has {bad.Vector.Length} values, expected {dim}");
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        long setId = c.ExecuteScalar<long>(
            "INSERT INTO embedding_sets (dataset_id, kind, dim, source, parameters_json, parameters_hash, created_utc) VALUES (@datasetId, @kind, @dim, @source, @parametersJson, @parametersHash, @now) RETURNING id",
            new { datasetId, kind, dim, source, parametersJson, parametersHash, now = DapperSetup.ToText(DateTime.UtcNow) }, tx);
        using var insert = PreparedCommand.Create(c, tx, "INSERT INTO embeddings VALUES ($s, $i, $v)", "$s", "$i", "$v");
        foreach (var (imageId, vector) in vectors) PreparedCommand.Execute(insert, setId, imageId, ScoreCodec.Encode(vector, ScoreDtype.Float32));
        tx.Commit();
        return setId;
    }

    public EmbeddingSet? FindByHash(long datasetId, string kind, string parametersHash) =>
        QuerySets("WHERE dataset_id = @datasetId AND kind = @kind AND parameters_hash = @parametersHash ORDER BY id DESC LIMIT 1",
            new { datasetId, kind, parametersHash });

    public EmbeddingSet? GetLatest(long datasetId, string kind) =>
        QuerySets("WHERE dataset_id = @datasetId AND kind = @kind ORDER BY id DESC LIMIT 1", new { datasetId, kind });

    public IReadOnlyDictionary<long, float[]> GetVectors(long setId)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, byte[] Data)>("SELECT image_id, vector FROM embeddings WHERE set_id = @setId", new { setId })
            .ToDictionary(r => r.ImageId, r => ScoreCodec.Decode(r.Data, ScoreDtype.Float32));
    }

    private EmbeddingSet? QuerySets(string where, object args)
    {
        using var c = database.Open();
        return c.Query<(long Id, long DatasetId, string Kind, long Dim, string Source, string Json, string Hash, string Created)>(
                $"SELECT {SetColumns} FROM embedding_sets {where}", args)
            .Select(r => new EmbeddingSet(r.Id, r.DatasetId, r.Kind, (int)r.Dim, r.Source, r.Json, r.Hash, Rows.ParseUtc(r.Created)))
            .FirstOrDefault();
    }
}
