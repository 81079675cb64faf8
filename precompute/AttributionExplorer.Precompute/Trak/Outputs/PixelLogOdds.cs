using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

internal static class PixelLogOdds
{
    public const long IgnoreIndex = 255;

    /// <summary>Per-pixel log(p/(1−p)) of the true class, p = softmax probability; returns [H·W] values and a 0/1 weight
    /// that is 0 on ignored pixels.</summary>
    public static (Tensor Values, Tensor Valid) Compute(Tensor logits, Tensor labels)
    {
        var (z, y, valid) = Flatten(logits, labels);
        var safeY = torch.where(valid, y, torch.zeros_like(y));
        return (OfClass(z, safeY), valid.to(z.dtype));
    }

    /// <summary>Logits as [H·W, C], labels as [H·W] and the non-ignored mask [H·W] of a single example.</summary>
    public static (Tensor Logits, Tensor Labels, Tensor Valid) Flatten(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 4 || logits.shape[0] != 1)
            throw new ArgumentException($"logits must be [1,C,H,W] for one example, got [{string.Join(",", logits.shape)}]");
        if (labels.dim() != 3 || labels.shape[0] != 1 || labels.shape[1] != logits.shape[2] || labels.shape[2] != logits.shape[3])
            throw new ArgumentException($"labels must be [1,H,W] matching logits [{string.Join(",", logits.shape)}], got [{string.Join(",", labels.shape)}]");
        long classes = logits.shape[1];
        var y = labels[0].reshape(-1);
        return (logits[0].reshape(classes, -1).t(), y, y.ne(IgnoreIndex));
    }

    /// <summary>log(p_c/(1−p_c)) per pixel for class c[pixel], computed stably as z_c − logsumexp_{j≠c} z_j.</summary>
    public static Tensor OfClass(Tensor z, Tensor classPerPixel)
    {
        var chosen = z.gather(1, classPerPixel.unsqueeze(1)).squeeze(1);
        var isChosen = nn.functional.one_hot(classPerPixel, z.shape[1]).to(ScalarType.Bool);
        return chosen - z.masked_fill(isChosen, double.NegativeInfinity).logsumexp(1);
    }

    /// <summary>Mean of values over pixels with weight 1 (0 when there are none).</summary>
    public static Tensor WeightedMean(Tensor values, Tensor weights) => (values * weights).sum() / weights.sum().clamp_min(1);
}
