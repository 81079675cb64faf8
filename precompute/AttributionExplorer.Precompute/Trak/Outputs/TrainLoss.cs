using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>The per-example training loss: mean pixel cross-entropy, ignore index 255 (what the model was trained on).</summary>
public sealed class TrainLoss : ITargetOutput
{
    public static readonly TrainLoss Instance = new();

    public Tensor Compute(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits, labels, ignore_index: PixelLogOdds.IgnoreIndex);
}
