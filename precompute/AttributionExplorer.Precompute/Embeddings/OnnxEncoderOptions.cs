namespace AttributionExplorer.Precompute.Embeddings;

/// <summary>Preprocessing for <see cref="OnnxImageEncoder"/>. Defaults are OpenAI CLIP's: short side resized to the
/// model's input size, center crop, [0,1] pixels normalized per RGB channel.</summary>
public sealed class OnnxEncoderOptions
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Side S of the square model input. Required when the model's H and W are dynamic; when the model fixes
    /// them, leave null or give the same value.</summary>
    public int? ImageSize { get; init; }

    public float[] Mean { get; init; } = [.. ClipMean];
    public float[] Std { get; init; } = [.. ClipStd];

    /// <summary>ONNX Runtime intra-op threads; 0 lets the runtime choose.</summary>
    public int IntraOpThreads { get; init; }
}
