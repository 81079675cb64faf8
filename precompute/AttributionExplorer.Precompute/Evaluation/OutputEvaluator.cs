using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>Values of target functions (outputs or losses) on a trained model, without gradients.</summary>
public static class OutputEvaluator
{
    /// <param name="examples">For each value: the example index in <paramref name="source"/> and the function to apply.</param>
    public static double[] Values(nn.Module<Tensor, Tensor> model, ISegmentationSource source, IReadOnlyList<(int Example, ITargetOutput Output)> examples)
    {
        model.eval();
        var device = Training.ComputeDevice.Of(model);
        var values = new double[examples.Count];
        // One forward pass per distinct example, shared by all functions of that example.
        foreach (var group in examples.Select((e, i) => (e, i)).GroupBy(x => x.e.Example))
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var (image, labels) = source.Load(group.Key, 1);
            labels = labels.to(device);
            var logits = model.forward(image.to(device));
            foreach (var (e, i) in group) values[i] = e.Output.Compute(logits, labels).item<float>();
        }
        return values;
    }
}
