using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Precompute.Trak;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.LabelErrors;

/// <summary>TRAK self-influence φᵢᵀ(ΦᵀΦ + λI)⁻¹φᵢ against a managed Gauss–Jordan inverse, and the leverage identity
/// Σᵢ φᵢᵀ(ΦᵀΦ)⁻¹φᵢ = k (the trace of a rank-k projection).</summary>
public class SelfInfluenceTests
{
    private static double[,] Features(int n, int k, int seed)
    {
        var random = new Random(seed);
        var phi = new double[n, k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) phi[i, j] = random.NextDouble() * 2 - 1 + (j == 0 ? 0.5 : 0);
        return phi;
    }

    private static Tensor ToTensor(double[,] phi) =>
        torch.tensor(phi.Cast<double>().Select(v => (float)v).ToArray(), [phi.GetLength(0), phi.GetLength(1)]);

    [Fact]
    public void MatchesTheExplicitInverseOfTheRegularizedKernel()
    {
        using var scope = torch.NewDisposeScope();
        int n = 12, k = 5;
        double lambda = 0.05;
        var phi = Features(n, k, 1);
        var rows = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, k).Select(a => (double)(float)phi[i, a]).ToArray()).ToArray();
        var inverse = Plugins.KernelBruteForce.Inverse(rows, lambda);

        var features = ToTensor(phi);
        var actual = TrakLabelErrorScores.SelfInfluence(features, KernelInverse.Compute(features, lambda));
        for (int i = 0; i < n; i++)
        {
            double expected = 0;
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++) expected += (float)phi[i, a] * inverse[a, b] * (float)phi[i, b];
            Assert.Equal(expected, actual[i], 4);
        }
    }

    [Fact]
    public void LeveragesSumToTheProjectionDimensionWithoutRidge()
    {
        using var scope = torch.NewDisposeScope();
        var features = ToTensor(Features(40, 6, 2));
        var leverages = TrakLabelErrorScores.SelfInfluence(features, KernelInverse.Compute(features, 0));
        Assert.Equal(6, leverages.Sum(), 3);
        Assert.All(leverages, h => Assert.InRange(h, 0, 1 + 1e-5));
    }

    [Fact]
    public void SpectrumOfOrthogonalColumnsIsTheirSquaredNorms()
    {
        using var scope = torch.NewDisposeScope();
        var features = torch.tensor(new float[] { 3, 0, 0, 2, 0, 0 }, [3, 2]);
        var spectrum = KernelSpectrum.Of(features, 0.1);
        Assert.Equal(4, spectrum.MinEigenvalue, 6);
        Assert.Equal(9, spectrum.MaxEigenvalue, 6);
        Assert.Equal(0.1 * 6.5, spectrum.Ridge, 6);
        Assert.Equal((9 + 0.65) / (4 + 0.65), spectrum.RegularizedCondition, 6);
        Assert.Equal(0, spectrum.EigenvaluesBelowRidge);
    }
}
