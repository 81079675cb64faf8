using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>Re-estimates every BatchNorm2d's running statistics as the exact mean over a fixed set of images
/// (cumulative average, the other layers in eval mode, no gradients). A research diagnostic: it takes the training
/// subset's share of the running statistics out of a model's outputs, which gradient attribution cannot see
/// (running statistics are buffers, not parameters).</summary>
public static class BatchNormRecalibration
{
    public static void Recalibrate(nn.Module<Tensor, Tensor> model, ISegmentationSource images, int batchSize = 16)
    {
        var norms = model.modules().OfType<BatchNorm2d>().ToList();
        model.eval();
        foreach (var bn in norms)
        {
            bn.reset_running_stats();
            bn.momentum = null;
            bn.train();
        }
        using (torch.no_grad())
            for (int start = 0; start < images.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var (x, _) = images.Load(start, Math.Min(batchSize, images.Count - start));
                model.forward(x.to(ComputeDevice.Of(model)));
            }
        foreach (var bn in norms)
        {
            bn.momentum = 0.1;
            bn.eval();
        }
        model.eval();
    }
}
