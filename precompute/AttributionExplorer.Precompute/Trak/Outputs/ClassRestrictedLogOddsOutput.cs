using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>A class target restricted to a pixel set: the class-vs-rest log-odds of <see cref="ClassLogOddsOutput"/>
/// (+ where the label is c, − elsewhere), averaged over the non-ignored pixels of the mask only — e.g. the pixels
/// labelled c, or the pixels the ensemble predicts as c — instead of over every pixel of the image, where background
/// pixels dominate the mean.</summary>
public sealed class ClassRestrictedLogOddsOutput : ITargetOutput, IDisposable
{
    private readonly Tensor mask;

    /// <param name="pixelMask">[H,W] boolean mask at model resolution; it must select at least one pixel.</param>
    public ClassRestrictedLogOddsOutput(int classIndex, Tensor pixelMask)
    {
        if (classIndex < 0 || classIndex == PixelLogOdds.IgnoreIndex) throw new ArgumentOutOfRangeException(nameof(classIndex));
        if (pixelMask.dim() != 2) throw new ArgumentException($"pixel mask must be [H,W], got [{string.Join(",", pixelMask.shape)}]");
        ClassIndex = classIndex;
        mask = pixelMask.ne(0).detach().clone();
        if (!mask.any().item<bool>()) throw new ArgumentException("pixel mask selects no pixels");
        mask.DetachFromDisposeScope();
    }

    public int ClassIndex { get; }

    public Tensor Compute(Tensor logits, Tensor labels)
    {
        var (z, y, valid) = PixelLogOdds.Flatten(logits, labels);
        var logOddsOfC = PixelLogOdds.OfClass(z, torch.full_like(y, ClassIndex));
        var sign = torch.where(y.eq(ClassIndex), 1.0, -1.0).to(z.dtype);
        var weight = valid.to(z.dtype) * mask.reshape(-1).to(z.dtype, z.device);
        return PixelLogOdds.WeightedMean(logOddsOfC * sign, weight);
    }

    public void Dispose() => mask.Dispose();
}
