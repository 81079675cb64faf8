using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>Object target: the full-image log-odds restricted to a pixel mask (e.g. one instance), f = mean over
/// non-ignored pixels inside the mask of log(p/(1−p)), p = probability of the true class.</summary>
public sealed class MaskedLogOddsOutput : ITargetOutput, IDisposable
{
    private readonly Tensor mask;

    /// <param name="pixelMask">[H,W] boolean (or 0/1) mask at model resolution; it must select at least one pixel.</param>
    public MaskedLogOddsOutput(Tensor pixelMask)
    {
        if (pixelMask.dim() != 2) throw new ArgumentException($"pixel mask must be [H,W], got [{string.Join(",", pixelMask.shape)}]");
        mask = pixelMask.ne(0).detach().clone();
        if (!mask.any().item<bool>()) throw new ArgumentException("pixel mask selects no pixels");
        // The output object may outlive the caller's dispose scope.
        mask.DetachFromDisposeScope();
    }

    public Tensor Compute(Tensor logits, Tensor labels)
    {
        if (logits.dim() == 4 && (logits.shape[2] != mask.shape[0] || logits.shape[3] != mask.shape[1]))
            throw new ArgumentException($"pixel mask [{mask.shape[0]},{mask.shape[1]}] does not match logits [{string.Join(",", logits.shape)}]");
        var (values, valid) = PixelLogOdds.Compute(logits, labels);
        return PixelLogOdds.WeightedMean(values, valid * mask.reshape(-1).to(valid.dtype, valid.device));
    }

    public void Dispose() => mask.Dispose();
}
