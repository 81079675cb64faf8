using System.IO.Compression;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class CheckpointRepository(ISqlDatabase database) : ICheckpointRepository
{
    private const string Columns = "c.id AS Id, c.dataset_id AS DatasetId, c.seed AS Seed, c.path AS Path, c.val_miou AS ValMiou, c.hyperparameters_json AS HyperparametersJson, c.train_seconds AS TrainSeconds, c.created_utc AS CreatedUtc, c.run_id AS RunId, c.epoch AS Epoch";

    public long Add(CheckpointRecord checkpoint)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>(
            "INSERT INTO checkpoints (dataset_id, seed, path, val_miou, hyperparameters_json, train_seconds, created_utc, run_id, epoch) VALUES (@DatasetId, @Seed, @Path, @ValMeanIou, @HyperparametersJson, @TrainSeconds, @Created, @RunId, @Epoch) RETURNING id",
            new { checkpoint.DatasetId, checkpoint.Seed, Path = database.Paths.ToStored(checkpoint.Path), checkpoint.ValMeanIou, checkpoint.HyperparametersJson, checkpoint.TrainSeconds,
                Created = DapperSetup.ToText(checkpoint.CreatedUtc), RunId = checkpoint.RunId == 0 ? (long?)null : checkpoint.RunId,
                Epoch = checkpoint.Epoch == 0 ? (long?)null : checkpoint.Epoch });
    }

    public IReadOnlyList<CheckpointRecord> List(long datasetId) =>
        Query("JOIN runs r ON r.id = c.run_id WHERE c.dataset_id = @datasetId AND r.state = 'complete' ORDER BY c.id", new { datasetId });

    public CheckpointRecord? Get(long checkpointId) => Query("WHERE c.id = @checkpointId", new { checkpointId }).FirstOrDefault();

    public CheckpointRecord? FindByRun(long runId) => Query("WHERE c.run_id = @runId ORDER BY c.id DESC LIMIT 1", new { runId }).FirstOrDefault();

    public IReadOnlyList<CheckpointRecord> ListByRun(long runId) => Query("WHERE c.run_id = @runId ORDER BY c.epoch, c.id", new { runId });

    private IReadOnlyList<CheckpointRecord> Query(string where, object args)
    {
        using var c = database.Open();
        return c.Query<Rows.Checkpoint>($"SELECT {Columns} FROM checkpoints c {where}", args)
            .Select(r => r.ToRecord() with { Path = database.Paths.ToFull(r.Path) }).ToList();
    }

    public void SavePredictions(IReadOnlyList<PredictionRecord> predictions)
    {
        foreach (var p in predictions)
            if (p.Labels.Length != p.Width * p.Height)
                throw new ArgumentException($"prediction for image {p.ImageId} has {p.Labels.Length} labels, expected {p.Width}×{p.Height}");
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        using var upsert = PreparedCommand.Create(c, tx,
            "INSERT INTO predictions (checkpoint_id, image_id, width, height, labels) VALUES (@c, @i, @w, @h, @l) " +
            "ON CONFLICT (checkpoint_id, image_id) DO UPDATE SET width = excluded.width, height = excluded.height, labels = excluded.labels",
            "@c", "@i", "@w", "@h", "@l");
        foreach (var p in predictions) PreparedCommand.Execute(upsert, p.CheckpointId, p.ImageId, p.Width, p.Height, Compress(p.Labels));
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
