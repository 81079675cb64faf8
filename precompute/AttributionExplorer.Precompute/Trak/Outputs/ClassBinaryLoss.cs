using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>The loss of a class target: mean over non-ignored pixels of the binary cross-entropy of "is this pixel c",
/// −log q = softplus(−x) with x the per-pixel log-odds of <see cref="ClassLogOddsOutput"/>. Counterfactual evaluations
/// measure how removing training images raises it.</summary>
public sealed class ClassBinaryLoss(int classIndex) : ITargetOutput
{
    public Tensor Compute(Tensor logits, Tensor labels)
    {
        var (z, y, valid) = PixelLogOdds.Flatten(logits, labels);
        var logOddsOfC = PixelLogOdds.OfClass(z, torch.full_like(y, classIndex));
        var sign = torch.where(y.eq(classIndex), 1.0, -1.0).to(z.dtype);
        return PixelLogOdds.WeightedMean(nn.functional.softplus(logOddsOfC * sign * -1), valid.to(z.dtype));
    }
}
