namespace AttributionExplorer.Precompute.Embeddings.Moco;

/// <summary>MoCo v2 hyperparameters (defaults as the seed's reference: InfoNCE τ = 0.1, momentum 0.99, SGD with a cosine
/// schedule; the encoder is a small ResNet sized by <see cref="Width"/>).</summary>
public sealed record MocoSettings(
    int Width = 32, int HiddenDim = 512, int EmbeddingDim = 128, int QueueSize = 4096, double Momentum = 0.99,
    double Temperature = 0.1, int Epochs = 200, int BatchSize = 128, double LearningRate = 0.06, double WeightDecay = 1e-4,
    int Seed = 0, int Threads = 0)
{
    public void Validate()
    {
        if (Width < 1 || HiddenDim < 1 || EmbeddingDim < 1) throw new ArgumentException("MoCo widths must be ≥ 1");
        if (QueueSize < 1) throw new ArgumentException($"MoCo QueueSize must be ≥ 1, got {QueueSize}");
        if (Momentum is < 0 or >= 1) throw new ArgumentException($"MoCo Momentum must be in [0, 1), got {Momentum}");
        if (Temperature <= 0) throw new ArgumentException($"MoCo Temperature must be > 0, got {Temperature}");
        if (Epochs < 1 || BatchSize < 2) throw new ArgumentException("MoCo needs Epochs ≥ 1 and BatchSize ≥ 2");
    }
}
