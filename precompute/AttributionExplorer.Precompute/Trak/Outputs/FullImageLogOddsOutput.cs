using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>Full-image target (seed 000): f = mean over non-ignored pixels of log(p/(1−p)), p = probability of the true class.</summary>
public sealed class FullImageLogOddsOutput : ITargetOutput
{
    public static readonly FullImageLogOddsOutput Instance = new();

    public Tensor Compute(Tensor logits, Tensor labels)
    {
        var (values, valid) = PixelLogOdds.Compute(logits, labels);
        return PixelLogOdds.WeightedMean(values, valid);
    }
}
