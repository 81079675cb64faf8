using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.LabelErrors;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.LabelErrors;

/// <summary>Per-object confidence against the cleanlab soft-minimum computed by hand on fixed logits.</summary>
public class ObjectConfidenceTests
{
    private sealed class FixedLogits(Tensor logits) : nn.Module<Tensor, Tensor>("fixed")
    {
        public override Tensor forward(Tensor input) => logits.expand(input.shape[0], -1, -1, -1);
    }

    [Fact]
    public void SoftMinimumOfTheAnnotatedClassOverTheObjectsPixelsAveragedOverModels()
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(1);
        var z1 = Enumerable.Range(0, 3 * 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var z2 = Enumerable.Range(0, 3 * 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        Tensor T(double[] z) => torch.tensor(z.Select(v => (float)v).ToArray(), [1, 3, 2, 2]);
        var models = new List<nn.Module<Tensor, Tensor>> { new FixedLogits(T(z1)), new FixedLogits(T(z2)) };
        var source = new SyntheticSegmentationSource(1, 3, 8, seed: 1);
        var objects = new[]
        {
            new TrainObject(7, 0, 1, [true, true, false, false]),
            new TrainObject(8, 0, 2, [false, false, false, true]),
        };
        // The source's images are 8×8 but the fixed logits are 2×2: the scorer only needs the logits' geometry.
        var quality = ObjectConfidence.Score(new Resized(source), objects, _ => models, temperature: 0.1);

        double Probability(double[] z, int c, int pixel)
        {
            double sum = 0;
            for (int j = 0; j < 3; j++) sum += Math.Exp(z[j * 4 + pixel]);
            return Math.Exp(z[c * 4 + pixel]) / sum;
        }
        for (int o = 0; o < objects.Length; o++)
        {
            var p = Enumerable.Range(0, 4).Where(i => objects[o].Mask[i])
                .Select(i => (Probability(z1, objects[o].ClassIndex, i) + Probability(z2, objects[o].ClassIndex, i)) / 2).ToArray();
            var w = p.Select(v => Math.Exp((1 - v) / 0.1)).ToArray();
            double expected = p.Zip(w).Sum(t => t.First * t.Second) / w.Sum();
            Assert.Equal(expected, quality[o], 5);
        }
    }

    /// <summary>The synthetic source at 2×2, as the fixed logits are.</summary>
    private sealed class Resized(ISegmentationSource inner) : ISegmentationSource
    {
        public int Count => inner.Count;
        public IReadOnlyList<long> ImageIds => inner.ImageIds;
        public int NumClasses => inner.NumClasses;
        public (Tensor Images, Tensor Labels) Load(int start, int count) => (torch.zeros(count, 3, 2, 2), torch.zeros(count, 2, 2, dtype: ScalarType.Int64));
    }
}
