using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak.Projection;

public class WalshHadamardTests
{
    /// <summary>The closed form, entry by entry: H[i, j] = (−1)^popcount(i &amp; j).</summary>
    [Fact]
    public void TheMatrixIsSylvestersClosedForm()
    {
        using var scope = torch.NewDisposeScope();
        var h = WalshHadamard.Matrix(16).data<float>().ToArray();
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
                Assert.Equal(System.Numerics.BitOperations.PopCount((uint)(i & j)) % 2 == 0 ? 1f : -1f, h[i * 16 + j]);
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 6)]
    [InlineData(256, 6)]
    [InlineData(1024, 6)]
    [InlineData(1024, 3)]
    [InlineData(512, 1)]
    [InlineData(2048, 4)]
    public void TheFactoredTransformEqualsTheDenseMatrix(int n, int maxFactorBits)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(n + maxFactorBits);
        var x = torch.randn(5, n, dtype: ScalarType.Float64);
        var expected = x.matmul(WalshHadamard.Matrix(n, ScalarType.Float64));
        var actual = WalshHadamard.Transform(x, maxFactorBits);
        Assert.True(actual.allclose(expected, rtol: 1e-10, atol: 1e-9), $"max difference {(actual - expected).abs().max().item<double>()}");
    }

    [Fact]
    public void FactorsAreBalancedAndNeverLargerThanAllowed()
    {
        Assert.Equal([6, 5, 5, 5], WalshHadamard.Factors(21, 6));
        Assert.Equal([3], WalshHadamard.Factors(3, 6));
        Assert.Empty(WalshHadamard.Factors(0, 6));
        Assert.Equal([1L, 1, 2, 4, 4, 8, 1L << 21], new long[] { 0, 1, 2, 3, 4, 5, 1_504_553 }.Select(WalshHadamard.PaddedSize));
        Assert.Throws<ArgumentException>(() => WalshHadamard.Transform(torch.zeros(2, 12)));
    }
}
