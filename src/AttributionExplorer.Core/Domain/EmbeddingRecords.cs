namespace AttributionExplorer.Core.Domain;

public static class EmbeddingKinds
{
    public const string Moco = "moco";
    public const string Clip = "clip";
}

/// <summary>One set of image embeddings: <see cref="Source"/> says where they came from (trained encoder file, ONNX model, .npy).</summary>
public sealed record EmbeddingSet(long Id, long DatasetId, string Kind, int Dim, string Source, string ParametersJson, string ParametersHash, DateTime CreatedUtc, long RunId = 0);
