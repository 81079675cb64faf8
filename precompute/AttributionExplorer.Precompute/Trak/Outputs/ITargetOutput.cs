using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>A scalar function of one example's logits [1,C,H,W] and labels [1,H,W] (int64, 255 = ignore):
/// the model output f whose gradient TRAK attributes, or the training loss.</summary>
public interface ITargetOutput
{
    Tensor Compute(Tensor logits, Tensor labels);
}
