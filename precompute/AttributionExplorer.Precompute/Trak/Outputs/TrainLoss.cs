using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>The per-example training loss: mean pixel cross-entropy, ignore index 255 (what the model was trained on).</summary>
public sealed class TrainLoss : ITargetOutput
{
    public static readonly TrainLoss Instance = new();

    public Tensor Compute(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits, labels, ignore_index: PixelLogOdds.IgnoreIndex);

    /// <summary>Σᵢ of each example's <see cref="Compute"/> over a batch [B, C, H, W], in one pass instead of B (the
    /// batched gradient methods differentiate this sum). An example with every pixel ignored gives NaN, as its own
    /// mean does.</summary>
    public static Tensor SumOverExamples(Tensor logits, Tensor labels)
    {
        var pixels = nn.functional.cross_entropy(logits, labels, ignore_index: PixelLogOdds.IgnoreIndex, reduction: nn.Reduction.None);
        var counted = labels.ne(PixelLogOdds.IgnoreIndex).sum([1, 2]).to(pixels.dtype);
        return pixels.sum([1, 2]).div(counted).sum();
    }
}
