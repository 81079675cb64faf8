using System.IO.Compression;
using AttributionExplorer.Core.Domain;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class CheckpointRepository(SqliteDatabase database) : ICheckpointRepository
{
    private const string Columns = "id AS Id, dataset_id AS DatasetId, seed AS Seed, path AS Path, val_miou AS ValMiou, hyperparameters_json AS HyperparametersJson, train_seconds AS TrainSeconds, created_utc AS CreatedUtc";

    public long Add(CheckpointRecord checkpoint)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>(
            "INSERT INTO checkpoints (dataset_id, seed, path, val_miou, hyperparameters_json, train_seconds, created_utc) VALUES (@DatasetId, @Seed, @Path, @ValMeanIou, @HyperparametersJson, @TrainSeconds, @Created) RETURNING id",
            new { checkpoint.DatasetId, checkpoint.Seed, checkpoint.Path, checkpoint.ValMeanIou, checkpoint.HyperparametersJson, checkpoint.TrainSeconds,
                Created = DapperSetup.ToText(checkpoint.CreatedUtc) });
    }

    public IReadOnlyList<CheckpointRecord> List(long datasetId)
    {
        using var c = database.Open();
        return c.Query<Rows.Checkpoint>($"SELECT {Columns} FROM checkpoints WHERE dataset_id = @datasetId ORDER BY id", new { datasetId })
            .Select(r => r.ToRecord()).ToList();
    }

    public CheckpointRecord? Find(long datasetId, int seed, string hyperparametersJson)
    {
        using var c = database.Open();
        return c.Query<Rows.Checkpoint>($"SELECT {Columns} FROM checkpoints WHERE dataset_id = @datasetId AND seed = @seed AND hyperparameters_json = @hyperparametersJson ORDER BY id DESC LIMIT 1",
            new { datasetId, seed, hyperparametersJson }).FirstOrDefault()?.ToRecord();
    }

    public void SavePredictions(IReadOnlyList<PredictionRecord> predictions)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        using var insert = PreparedCommand.Create(c, tx,
            "INSERT OR REPLACE INTO predictions (checkpoint_id, image_id, width, height, labels) VALUES ($c, $i, $w, $h, $l)",
            "$c", "$i", "$w", "$h", "$l");
        foreach (var p in predictions)
        {
            if (p.Labels.Length != p.Width * p.Height)
                throw new ArgumentException($"prediction for image {p.ImageId} has {p.Labels.Length} labels, expected {p.Width}×{p.Height}");
            PreparedCommand.Execute(insert, p.CheckpointId, p.ImageId, p.Width, p.Height, Compress(p.Labels));
        }
        tx.Commit();
    }

    public PredictionRecord? GetPrediction(long checkpointId, long imageId)
    {
        using var c = database.Open();
        var row = c.QueryFirstOrDefault<(long Width, long Height, byte[] Labels)?>(
            "SELECT width, height, labels FROM predictions WHERE checkpoint_id = @checkpointId AND image_id = @imageId", new { checkpointId, imageId });
        return row is { } r ? new PredictionRecord(checkpointId, imageId, (int)r.Width, (int)r.Height, Decompress(r.Labels)) : null;
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal)) deflate.Write(data);
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] data)
    {
        using var input = new DeflateStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
