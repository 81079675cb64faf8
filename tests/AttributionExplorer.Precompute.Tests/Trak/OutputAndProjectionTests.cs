using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak;

public class OutputAndProjectionTests
{
    [Fact]
    public void FullImageLogOddsMatchesHandComputedValues()
    {
        using var scope = torch.NewDisposeScope();
        // 3 classes, 2×2 pixels; logits per pixel (row-major): (1,0,0) (0,2,0) (0,0,3) (5,5,5); the last pixel is ignored.
        float[,] perPixel = { { 1, 0, 0 }, { 0, 2, 0 }, { 0, 0, 3 }, { 5, 5, 5 } };
        var logits = torch.zeros(1, 3, 2, 2);
        for (int p = 0; p < 4; p++)
        for (int c = 0; c < 3; c++) logits[0, c, p / 2, p % 2] = perPixel[p, c];
        var labels = torch.tensor(new long[] { 0, 0, 2, 255 }, [1, 2, 2]);

        double f = FullImageLogOddsOutput.Instance.Compute(logits, labels).item<float>();

        double LogOdds(double[] z, int y)
        {
            double p = Math.Exp(z[y]) / z.Sum(Math.Exp);
            return Math.Log(p / (1 - p));
        }
        double expected = (LogOdds([1, 0, 0], 0) + LogOdds([0, 2, 0], 0) + LogOdds([0, 0, 3], 2)) / 3;
        Assert.Equal(expected, f, 5);
    }

    [Fact]
    public void GradientComputerMatchesAnalyticLogisticGradients()
    {
        using var scope = torch.NewDisposeScope();
        double[] w = [0.3, -0.2];
        var model = new LogisticSegmenter(w, 0.1);
        var computer = new PerExampleGradientComputer(model);
        var x = torch.tensor(new float[] { 1, 2, -1, 0.5f }, [2, 2]);
        var y = torch.tensor(new long[] { 1, 0 }, [2, 1, 1]);
        var g = computer.Compute(x, y, _ => TrainLoss.Instance);
        Assert.Equal(3, computer.ParameterCount);
        double[][] xs = [[1, 2], [-1, 0.5]];
        int[] ys = [1, 0];
        for (int i = 0; i < 2; i++)
        {
            double r = LogisticData.Sigmoid(w[0] * xs[i][0] + w[1] * xs[i][1] + 0.1) - ys[i];
            double[] expected = [r * xs[i][0], r * xs[i][1], r];
            for (int j = 0; j < 3; j++) Assert.Equal(expected[j], g[i, j].item<float>(), 5);
        }
    }

    [Fact]
    public void ProjectionIsReproducibleAndIndependentOfBatchSize()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var grads = torch.randn(6, 1000);
        var p1 = new RandomProjector(ProjectionKind.Gaussian, 1000, 64, seed: 5, blockRows: 300);
        var p2 = new RandomProjector(ProjectionKind.Gaussian, 1000, 64, seed: 5, blockRows: 300);
        var other = new RandomProjector(ProjectionKind.Gaussian, 1000, 64, seed: 6, blockRows: 300);
        var all = p1.Project(grads);
        Assert.True(all.allclose(p2.Project(grads)));
        Assert.False(all.allclose(other.Project(grads), rtol: 1e-2, atol: 1e-2));
        var split = torch.cat([p1.Project(grads[..2]), p1.Project(grads[2..])], 0);
        Assert.True(all.allclose(split, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ACachedMatrixGivesTheSameProjectionOnEveryCall()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var grads = torch.randn(5, 1000);
        using var cached = new RandomProjector(ProjectionKind.Rademacher, 1000, 32, seed: 8, blockRows: 300, cacheBytes: 1000 * 32 * 4);
        using var tooSmall = new RandomProjector(ProjectionKind.Rademacher, 1000, 32, seed: 8, blockRows: 300, cacheBytes: 1000 * 32 * 4 - 1);
        var plain = new RandomProjector(ProjectionKind.Rademacher, 1000, 32, seed: 8, blockRows: 300);
        Assert.True(cached.Caches);
        Assert.False(tooSmall.Caches);
        var expected = plain.Project(grads);
        Assert.True(expected.allclose(torch.cat([cached.Project(grads[..2]), cached.Project(grads[2..])], 0), rtol: 1e-5, atol: 1e-6));
        Assert.True(expected.allclose(cached.Project(grads), rtol: 1e-5, atol: 1e-6));
        Assert.True(expected.allclose(tooSmall.Project(grads), rtol: 1e-5, atol: 1e-6));
    }

    /// <summary>Projecting the identity exposes P/√p: Rademacher entries are exactly ±1 and balanced, Gaussian entries
    /// have mean ≈ 0 and variance ≈ 1 (bounds are > 6 standard errors wide at 40·512 entries).</summary>
    [Fact]
    public void ProjectionMatrixEntriesHaveTheRightDistribution()
    {
        using var scope = torch.NewDisposeScope();
        const int p = 40, k = 512;
        var identity = torch.eye(p);
        var rademacher = new RandomProjector(ProjectionKind.Rademacher, p, k, seed: 3, blockRows: 16).Project(identity) * Math.Sqrt(p);
        Assert.True(rademacher.abs().sub(1).abs().max().item<float>() < 1e-5f, "Rademacher entries must be ±1");
        Assert.True(Math.Abs(rademacher.mean().item<float>()) < 0.05f, $"Rademacher mean {rademacher.mean().item<float>()}");
        var gaussian = new RandomProjector(ProjectionKind.Gaussian, p, k, seed: 3, blockRows: 16).Project(identity) * Math.Sqrt(p);
        Assert.True(Math.Abs(gaussian.mean().item<float>()) < 0.05f, $"Gaussian mean {gaussian.mean().item<float>()}");
        Assert.True(Math.Abs(gaussian.var().item<float>() - 1) < 0.07f, $"Gaussian variance {gaussian.var().item<float>()}");
    }

    [Theory]
    [InlineData(ProjectionKind.Gaussian)]
    [InlineData(ProjectionKind.Rademacher)]
    public void ProjectionPreservesInnerProductsWithinJohnsonLindenstraussTolerance(ProjectionKind kind)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        const int p = 5000, k = 2048;
        var v = torch.randn(20, p, dtype: ScalarType.Float64).to(ScalarType.Float32);
        var projected = new RandomProjector(kind, p, k, seed: 0, blockRows: 1024).Project(v) * Math.Sqrt((double)p / k);
        var before = v.matmul(v.t());
        var after = projected.matmul(projected.t());
        // JL with k = 2048: relative distortion of squared norms ~ sqrt(2/k) ≈ 0.03; 0.15 leaves a wide margin yet fails
        // for a wrong scale or a broken generator. Inner products are compared relative to the norms.
        var norms = before.diagonal();
        var relNorm = (after.diagonal() - norms).abs() / norms;
        Assert.True(relNorm.max().item<float>() < 0.15f, $"max relative norm error {relNorm.max().item<float>()}");
        var scale = torch.sqrt(norms.unsqueeze(0) * norms.unsqueeze(1));
        var relInner = ((after - before).abs() / scale).max().item<float>();
        Assert.True(relInner < 0.15f, $"max inner-product error relative to norms {relInner}");
    }

    [Fact]
    public void KernelInverseInvertsTheRegularisedGram()
    {
        using var scope = torch.NewDisposeScope();
        var phi = torch.tensor(new float[] { 1, 0, 0, 2, 1, 1 }, [3, 2]);
        // ΦᵀΦ = [[2,1],[1,5]], mean diagonal 3.5; λ = 0.1 adds 0.35 to the diagonal.
        var inv = KernelInverse.Compute(phi, 0.1, blockRows: 2);
        double a = 2.35, b = 1, d = 5.35, det = a * d - b * b;
        Assert.Equal(d / det, inv[0, 0].item<float>(), 5);
        Assert.Equal(-b / det, inv[0, 1].item<float>(), 5);
        Assert.Equal(a / det, inv[1, 1].item<float>(), 5);
    }
}
