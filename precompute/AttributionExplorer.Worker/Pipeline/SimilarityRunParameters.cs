using System.Text.Json;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Embeddings.Moco;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>MoCo v2 trained on the training images without labels (kind "embed.moco"); embeds train and held-out images.</summary>
public sealed record MocoEmbeddingParameters(MocoSettings Settings, int ImageSize, int TrainImages) : IRunParameters
{
    public string RunKind => "embed.moco";
    public string Features => "backbone, L2-normalized";
}

/// <summary>CLIP embeddings from an ONNX image encoder or an imported .npy (kind "embed.clip"); the files' SHA-256 make the identity.</summary>
public sealed record ClipEmbeddingParameters(string Source, string Path, string IdsPath, string Sha256, int Images) : IRunParameters
{
    public string RunKind => "embed.clip";
}

/// <summary>A similarity ranking of one target kind (kind "rank.{method}"); upstream: the embedding run.</summary>
public sealed record SimilarityRankingParameters(string Method, string Target, JsonElement MethodParameters, int TopK) : IRunParameters
{
    public string RunKind => "rank." + Method;
}

public sealed record EmbeddingRunResult(int Vectors);

public sealed record RankingRunResult(int Targets, double Seconds);
