using AttributionExplorer.Precompute.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Evaluation;

public static class SegmentationPredictor
{
    /// <summary>Argmax label maps at model resolution, in eval mode without gradients.</summary>
    public static IEnumerable<(long ImageId, byte[] Labels)> Predict(nn.Module<Tensor, Tensor> model, ISegmentationSource source, int batchSize = 16)
    {
        model.eval();
        for (int start = 0; start < source.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, source.Count - start);
            long[] flat;
            long pixels;
            using (var scope = torch.NewDisposeScope())
            using (torch.no_grad())
            {
                var (images, _) = source.Load(start, count);
                var predicted = model.forward(images.to(Training.ComputeDevice.Of(model))).argmax(1).cpu();
                pixels = predicted.shape[1] * predicted.shape[2];
                flat = predicted.data<long>().ToArray();
            }
            for (int i = 0; i < count; i++)
                yield return (source.ImageIds[start + i], ToBytes(flat.AsSpan((int)(i * pixels), (int)pixels)));
        }
    }

    private static byte[] ToBytes(ReadOnlySpan<long> labels)
    {
        var bytes = new byte[labels.Length];
        for (int i = 0; i < labels.Length; i++) bytes[i] = (byte)labels[i];
        return bytes;
    }

    public static double Evaluate(nn.Module<Tensor, Tensor> model, ISegmentationSource source, int batchSize = 16)
    {
        var matrix = new ConfusionMatrix(source.NumClasses);
        model.eval();
        for (int start = 0; start < source.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            int count = Math.Min(batchSize, source.Count - start);
            var (images, labels) = source.Load(start, count);
            var predicted = model.forward(images.to(Training.ComputeDevice.Of(model))).argmax(1).cpu();
            matrix.Add(labels.data<long>().ToArray(), predicted.data<long>().ToArray());
        }
        return matrix.MeanIou();
    }
}
