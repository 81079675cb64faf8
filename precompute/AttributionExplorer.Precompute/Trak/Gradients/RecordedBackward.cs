using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>The batched pass both the exact and the structured per-example methods start from: one forward of the
/// batch while <paramref name="recording"/> is active, Σᵢ fᵢ of each example's own output, and the gradient of that sum
/// at every recorded layer's output. In eval mode examples do not interact, so row i of each gradient is fᵢ's own.</summary>
internal static class RecordedBackward
{
    /// <returns>Per recorded layer, its output gradient, or null where the outputs do not depend on that layer.</returns>
    public static Tensor?[] OutputGradients(nn.Module<Tensor, Tensor> model, LayerRecording recording, Tensor images, Tensor labels,
        Func<int, ITargetOutput> outputFor)
    {
        int batch = (int)images.shape[0];
        var logits = model.forward(images);
        Tensor total;
        if (Enumerable.Range(0, batch).All(i => outputFor(i) is TrainLoss)) total = TrainLoss.SumOverExamples(logits, labels);
        else
        {
            total = outputFor(0).Compute(logits[0..1], labels[0..1]);
            for (int i = 1; i < batch; i++) total = total + outputFor(i).Compute(logits[i..(i + 1)], labels[i..(i + 1)]);
        }
        if (recording.Layers.Count == 0) return [];
        var gradients = torch.autograd.grad([total], recording.Layers.Select(l => l.Output).ToArray(), allow_unused: true);
        return gradients.Select(g => g is null || g.IsInvalid ? null : g).ToArray();
    }
}
