using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak;

public class TrakFeaturizerTests
{
    private sealed class RandomSource(int count, int d, int seed) : ISegmentationSource
    {
        private readonly (double[][] X, int[] Y) data = LogisticData.Make(count, d, seed);
        public int Count => count;
        public IReadOnlyList<long> ImageIds => Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        public int NumClasses => 2;
        public (Tensor Images, Tensor Labels) Load(int start, int n) => (
            torch.tensor(data.X.Skip(start).Take(n).SelectMany(r => r.Select(v => (float)v)).ToArray(), [n, d]),
            torch.tensor(data.Y.Skip(start).Take(n).Select(v => (long)v).ToArray(), [n, 1, 1]));
    }

    /// <summary>Features are the projected analytic gradients (σ(θᵀx)−y)·x/√p·P whatever the gradient batch size or the
    /// projection buffer; P is read back by projecting the identity.</summary>
    [Theory]
    [InlineData(1, 0L)]
    [InlineData(4, 0L)]
    [InlineData(4, 1L << 20)]
    [InlineData(25, 1L << 20)]
    public void FeaturesAreProjectedAnalyticGradientsForAnyBatching(int batchSize, long bufferBytes)
    {
        const int n = 23, d = 3, k = 8;
        double[] theta = [0.5, -0.3, 0.2, 0.1];
        using var scope = torch.NewDisposeScope();
        var model = new LogisticSegmenter(theta[..d], theta[d]);
        var computer = new PerExampleGradientComputer(model);
        var projector = new RandomProjector(ProjectionKind.Gaussian, d + 1, k, seed: 4, blockRows: 3);
        var source = new RandomSource(n, d, seed: 13);
        var reported = new List<int>();

        var features = TrakFeaturizer.Featurize(computer, projector, source, _ => TrainLoss.Instance, batchSize, reported.Add, bufferBytes);

        Assert.Equal(new long[] { n, k }, features.shape);
        Assert.Equal(n, reported[^1]);
        var p = projector.Project(torch.eye(d + 1)) * Math.Sqrt(d + 1);         // P itself
        var (x, y) = LogisticData.Make(n, d, 13);
        for (int i = 0; i < n; i++)
        {
            var xa = x[i].Append(1.0).ToArray();
            double r = LogisticData.Sigmoid(LogisticData.Dot(theta, xa)) - y[i];
            for (int c = 0; c < k; c++)
            {
                double expected = Enumerable.Range(0, d + 1).Sum(a => r * xa[a] * p[a, c].item<float>()) / Math.Sqrt(d + 1);
                Assert.Equal(expected, features[i, c].item<float>(), 4);
            }
        }
    }
}
