using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Ports;

public interface ICheckpointRepository
{
    /// <summary>Records the checkpoint a training run produced (visible once that run is complete).</summary>
    long Add(CheckpointRecord checkpoint);
    /// <summary>Checkpoints of complete training runs.</summary>
    IReadOnlyList<CheckpointRecord> List(long datasetId);
    CheckpointRecord? Get(long checkpointId);
    /// <summary>The checkpoint written by a training run (complete or not: for the run that is writing it).</summary>
    CheckpointRecord? FindByRun(long runId);
    /// <summary>Every checkpoint a training run wrote (its trajectory), in epoch order, complete or not.</summary>
    IReadOnlyList<CheckpointRecord> ListByRun(long runId);
    void SavePredictions(IReadOnlyList<PredictionRecord> predictions);
    PredictionRecord? GetPrediction(long checkpointId, long imageId);
}

public interface IEmbeddingRepository
{
    /// <summary>Writes a set and its vectors in one transaction under run <paramref name="runId"/>; returns the set id.</summary>
    long Save(long runId, long datasetId, string kind, string source, string parametersJson, IReadOnlyList<(long ImageId, float[] Vector)> vectors);
    EmbeddingSet? FindByRun(long runId);
    /// <summary>The newest set of a kind whose run is complete.</summary>
    EmbeddingSet? GetLatest(long datasetId, string kind);
    IReadOnlyDictionary<long, float[]> GetVectors(long setId);
}
