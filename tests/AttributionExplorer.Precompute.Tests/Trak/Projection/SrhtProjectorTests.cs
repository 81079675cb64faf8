using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak.Projection;

public class SrhtProjectorTests
{
    /// <summary>The oracle: the k chosen rows of the dense Sylvester matrix (closed form), times the signed, zero-padded
    /// gradient, over √p.</summary>
    [Theory]
    [InlineData(1000, 64, 1L << 25)]
    [InlineData(1000, 64, 1024)]
    [InlineData(37, 16, 1L << 25)]
    [InlineData(64, 64, 1L << 25)]
    public void EqualsTheDenseSubsampledHadamardMatrix(int p, int k, long chunkElements)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(p);
        var g = torch.randn(7, p, dtype: ScalarType.Float64);
        var projector = new SrhtProjector(p, k, seed: 3, chunkElements);
        long n = projector.PaddedDim;
        var padded = torch.zeros(7, n, dtype: ScalarType.Float64);
        padded.narrow(1, 0, p).copy_(g * projector.Signs.to(ScalarType.Float64));
        var chosenRows = WalshHadamard.Matrix(n, ScalarType.Float64).index_select(0, projector.Rows);
        var expected = padded.matmul(chosenRows.t()) / Math.Sqrt(p);
        var actual = projector.Project(g.to(ScalarType.Float32)).to(ScalarType.Float64);
        Assert.Equal([7L, k], actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4), $"max difference {(actual - expected).abs().max().item<double>()}");
    }

    [Fact]
    public void SignsAreBalancedRowsDistinctAndTheSeedDecides()
    {
        using var scope = torch.NewDisposeScope();
        var a = new SrhtProjector(5000, 512, seed: 1);
        var b = new SrhtProjector(5000, 512, seed: 1);
        var c = new SrhtProjector(5000, 512, seed: 2);
        Assert.Equal(8192, a.PaddedDim);
        Assert.True(a.Signs.abs().eq(1).all().item<bool>());
        Assert.True(Math.Abs(a.Signs.mean().item<float>()) < 0.06f, $"mean sign {a.Signs.mean().item<float>()}");
        Assert.Equal(512, a.Rows.unique().Item1.shape[0]);
        Assert.True(a.Rows.max().item<long>() < a.PaddedDim);
        Assert.True(a.Rows.min().item<long>() >= 0);
        Assert.True(a.Signs.allclose(b.Signs));
        Assert.True(a.Rows.eq(b.Rows).all().item<bool>());
        Assert.False(a.Rows.eq(c.Rows).all().item<bool>());
        var g = torch.randn(3, 5000);
        Assert.True(a.Project(g).allclose(b.Project(g)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SrhtProjector(100, 129, seed: 0));
    }

    /// <summary>Past 2^22 padded rows the k rows are drawn without a full permutation: still distinct, in range and
    /// seeded, and spread over the whole range.</summary>
    [Fact]
    public void ALargeModelsRowsAreDistinctWithoutAPermutationOfEveryRow()
    {
        using var scope = torch.NewDisposeScope();
        var a = new SrhtProjector(5_000_000, 2048, seed: 4);
        var b = new SrhtProjector(5_000_000, 2048, seed: 4);
        Assert.Equal(1L << 23, a.PaddedDim);
        Assert.Equal(2048, a.Rows.unique().Item1.shape[0]);
        Assert.True(a.Rows.min().item<long>() >= 0 && a.Rows.max().item<long>() < a.PaddedDim);
        Assert.True(a.Rows.eq(b.Rows).all().item<bool>());
        // Uniform over [0, n): the mean row is n/2 within a few standard errors (n/√12/√k ≈ 0.6% of n).
        double mean = a.Rows.to(ScalarType.Float64).mean().item<double>() / a.PaddedDim;
        Assert.InRange(mean, 0.46, 0.54);
    }

    /// <summary>Unbiased with the dense projection's scale: E[φφᵀ] = (k/p)·GGᵀ. The mean over 40 seeds of the projected
    /// Gram matrix lies within 5 standard errors (estimated from the same seeds) of the exact one.</summary>
    [Fact]
    public void TheProjectedGramIsUnbiasedAtTheDenseProjectionsScale()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(9);
        const int p = 3000, k = 256, seeds = 40;
        var g = torch.randn(6, p).mul(torch.linspace(0.2, 3, p)); // uneven coordinates, as gradients are
        var exact = g.matmul(g.t()).mul((double)k / p).to(ScalarType.Float64);
        var grams = torch.stack(Enumerable.Range(0, seeds).Select(s =>
        {
            var phi = new SrhtProjector(p, k, seed: s).Project(g).to(ScalarType.Float64);
            return phi.matmul(phi.t());
        }).ToArray());
        var mean = grams.mean([0]);
        var standardError = grams.std(0).div(Math.Sqrt(seeds)).clamp_min(1e-9);
        var z = (mean - exact).abs().div(standardError).max().item<double>();
        Assert.True(z < 5, $"largest deviation {z:F1} standard errors");
        // And one seed already preserves norms as JL promises at this k (relative error ~ √(2/k) ≈ 0.09).
        var one = grams[0].diagonal().div(exact.diagonal()).sub(1).abs().max().item<double>();
        Assert.True(one < 0.4, $"relative norm error {one:F2}");
    }

    /// <summary>On real gradients (a small DeepLabV3's per-example loss gradients, whose energy sits in a few layers),
    /// the projected Gram matrix is as close to the exact one as the dense Gaussian projection's at the same k: the
    /// relative RMS error over 12 seeds within 1.5× the Gaussian's.</summary>
    [Fact]
    public void OnRealGradientsTheErrorMatchesTheDenseGaussianProjection()
    {
        AttributionExplorer.Precompute.Training.TorchThreads.Configure(0);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        using var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] }, 4);
        model.eval();
        var x = torch.randn(8, 3, 32, 32);
        var y = torch.randint(0, 4, [8, 32, 32]);
        var gradients = new PerExampleGradientComputer(model).Compute(x, y, _ => TrainLoss.Instance);
        long p = gradients.shape[1];
        const int k = 128, seeds = 12;
        var exact = gradients.to(ScalarType.Float64).matmul(gradients.to(ScalarType.Float64).t()).mul((double)k / p);

        double Error(Func<int, IProjector> make) => Enumerable.Range(0, seeds).Average(s =>
        {
            var phi = make(s).Project(gradients).to(ScalarType.Float64);
            return ((phi.matmul(phi.t()) - exact).pow(2).mean().sqrt() / exact.abs().mean()).item<double>();
        });
        double srht = Error(s => new SrhtProjector(p, k, seed: s));
        double gaussian = Error(s => new RandomProjector(ProjectionKind.Gaussian, p, k, seed: s));
        Assert.True(srht < 1.5 * gaussian, $"relative RMS Gram error: SRHT {srht:F3}, Gaussian {gaussian:F3}");
        Assert.True(srht < 0.5, $"relative RMS Gram error {srht:F3} at k = {k}");
    }
}
