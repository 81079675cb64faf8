using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

internal static class PixelLogOdds
{
    public const long IgnoreIndex = 255;

    /// <summary>Per-pixel log(p/(1−p)) of the true class, p = softmax probability, computed stably as
    /// z_y − logsumexp_{j≠y} z_j; returns [H·W] values and a 0/1 weight that is 0 on ignored pixels.</summary>
    public static (Tensor Values, Tensor Valid) Compute(Tensor logits, Tensor labels)
    {
        long classes = logits.shape[1];
        var z = logits[0].reshape(classes, -1).t();                  // [HW, C]
        var y = labels[0].reshape(-1);                                // [HW]
        var valid = y.ne(IgnoreIndex);
        var safeY = torch.where(valid, y, torch.zeros_like(y));
        var trueLogit = z.gather(1, safeY.unsqueeze(1)).squeeze(1);
        var isTrue = nn.functional.one_hot(safeY, classes).to(ScalarType.Bool);
        var others = z.masked_fill(isTrue, double.NegativeInfinity).logsumexp(1);
        return (trueLogit - others, valid.to(z.dtype));
    }
}
