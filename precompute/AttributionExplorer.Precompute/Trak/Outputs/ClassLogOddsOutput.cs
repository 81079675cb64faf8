using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>Class target (seed 000): every non-ignored pixel is the binary task "is it class c?". q = probability of
/// the correct binary answer (p_c where the label is c, 1 − p_c elsewhere); f = mean log(q/(1−q)), which is
/// ±(z_c − logsumexp_{j≠c} z_j).</summary>
public sealed class ClassLogOddsOutput : ITargetOutput
{
    public ClassLogOddsOutput(int classIndex)
    {
        if (classIndex < 0 || classIndex == PixelLogOdds.IgnoreIndex)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, "class index must be ≥ 0 and not the ignore index 255");
        ClassIndex = classIndex;
    }

    public int ClassIndex { get; }

    public Tensor Compute(Tensor logits, Tensor labels)
    {
        var (z, y, valid) = PixelLogOdds.Flatten(logits, labels);
        if (ClassIndex >= z.shape[1])
            throw new ArgumentException($"class index {ClassIndex} is out of range for logits with {z.shape[1]} classes");
        var logOddsOfC = PixelLogOdds.OfClass(z, torch.full_like(y, ClassIndex));
        var sign = torch.where(y.eq(ClassIndex), 1.0, -1.0).to(z.dtype);
        return PixelLogOdds.WeightedMean(logOddsOfC * sign, valid.to(z.dtype));
    }
}
