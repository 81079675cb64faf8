namespace AttributionExplorer.Core.Domain;

/// <summary>A trained model. Hyperparameters are stored as JSON exactly as used; <see cref="RunId"/> is the training run
/// that wrote it. One run can write several: the weights at the end of each of its last epochs (trajectory
/// checkpoints, <see cref="Epoch"/>); 0 = the final weights of a run recorded before epochs were stored.</summary>
public sealed record CheckpointRecord(long Id, long DatasetId, int Seed, string Path, double ValMeanIou,
    string HyperparametersJson, double TrainSeconds, DateTime CreatedUtc, long RunId = 0, int Epoch = 0);

/// <summary>A predicted label map at model resolution: one byte per pixel, the category model index (0 = background).</summary>
public sealed record PredictionRecord(long CheckpointId, long ImageId, int Width, int Height, byte[] Labels);
