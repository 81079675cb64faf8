using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Worker.Plugins.Confidence;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Plugins.Confidence;

public class MeanPixelLossTests
{
    /// <summary>Two 1×1 "segmentation models" on random images: the loss equals a hand-written softmax cross-entropy in
    /// double precision, averaged over labelled pixels and over the models; ignored pixels do not count.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EqualsAHandComputedCrossEntropyAveragedOverPixelsAndModels(bool keptPredictions)
    {
        torch.manual_seed(7);
        const int classes = 3, size = 4, count = 5;
        var models = new[] { nn.Conv2d(3, classes, 1), nn.Conv2d(3, classes, 1) };
        var random = new Random(11);
        var examples = new List<(float[] Image, byte[] Labels)>();
        for (int e = 0; e < count; e++)
        {
            var image = Enumerable.Range(0, 3 * size * size).Select(_ => (float)random.NextDouble()).ToArray();
            var labels = Enumerable.Range(0, size * size).Select(_ => (byte)random.Next(classes)).ToArray();
            labels[0] = 255;
            if (e == 4) Array.Fill(labels, (byte)255);
            examples.Add((image, labels));
        }
        var source = new TensorSource(examples, classes, size);

        var losses = keptPredictions
            ? MeanPixelLoss.Compute(models.Select(m => (IModelPredictions)KeptPredictions.Compute(new StreamedPredictions(m, source), 3)).ToList(), source, batchSize: 2)
            : MeanPixelLoss.Compute(models.Cast<nn.Module<Tensor, Tensor>>().ToList(), source, batchSize: 2);

        for (int e = 0; e < count; e++)
        {
            double expected = 0;
            int labelled = examples[e].Labels.Count(l => l != 255);
            foreach (var model in models)
            {
                var weight = model.weight!.data<float>().ToArray();
                var bias = model.bias!.data<float>().ToArray();
                for (int p = 0; p < size * size; p++)
                {
                    int label = examples[e].Labels[p];
                    if (label == 255) continue;
                    var logits = new double[classes];
                    for (int c = 0; c < classes; c++)
                    {
                        logits[c] = bias[c];
                        for (int k = 0; k < 3; k++) logits[c] += weight[c * 3 + k] * examples[e].Image[k * size * size + p];
                    }
                    double max = logits.Max();
                    double logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                    expected += (logSum - logits[label]) / labelled / models.Length;
                }
            }
            if (labelled == 0) expected = 0;
            Assert.Equal(expected, losses[e], 5);
        }
    }

    private sealed class TensorSource(IReadOnlyList<(float[] Image, byte[] Labels)> examples, int classes, int size) : ISegmentationSource
    {
        public int Count => examples.Count;
        public IReadOnlyList<long> ImageIds => Enumerable.Range(1, examples.Count).Select(i => (long)i).ToList();
        public int NumClasses => classes;

        public (Tensor Images, Tensor Labels) Load(int start, int count)
        {
            var images = examples.Skip(start).Take(count).SelectMany(e => e.Image).ToArray();
            var labels = examples.Skip(start).Take(count).SelectMany(e => e.Labels.Select(l => (long)l)).ToArray();
            return (torch.tensor(images, [count, 3, size, size]), torch.tensor(labels, [count, size, size]));
        }
    }
}
