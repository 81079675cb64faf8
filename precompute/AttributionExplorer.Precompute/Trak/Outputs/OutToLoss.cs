using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Outputs;

/// <summary>TRAK's out-to-loss factor Q for a training example whose output is the full-image margin
/// f = mean over pixels of m, m = log(p/(1−p)) of the labelled class. Pixel cross-entropy is exactly log(1 + e^(−m)), so
/// ∂CE/∂m = −(1 − p); Q is the mean over non-ignored pixels of (1 − p), the scalar that turns ∇f into the loss gradient
/// when every pixel's margin gradient is alike (the reference's per-example Q, taken over pixels).</summary>
public static class OutToLoss
{
    public static double[] Compute(nn.Module<Tensor, Tensor> model, ISegmentationSource source, int batchSize = 16)
    {
        model.eval();
        var q = new double[source.Count];
        using var noGrad = torch.no_grad();
        for (int start = 0; start < source.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int count = Math.Min(batchSize, source.Count - start);
            var (images, labels) = source.Load(start, count);
            var logits = model.forward(images.to(ComputeDevice.Of(model)));
            for (int i = 0; i < count; i++)
            {
                var (m, valid) = PixelLogOdds.Compute(logits[i..(i + 1)], labels[i..(i + 1)].to(logits.device));
                q[start + i] = PixelLogOdds.WeightedMean(torch.sigmoid(m.neg()), valid).to(ScalarType.Float64).item<double>();
            }
        }
        return q;
    }
}
