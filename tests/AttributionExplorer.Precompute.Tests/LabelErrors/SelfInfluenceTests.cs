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
        var gram = new double[k, k];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
                for (int i = 0; i < n; i++) gram[a, b] += (float)phi[i, a] * (double)(float)phi[i, b];
        double meanDiagonal = Enumerable.Range(0, k).Average(a => gram[a, a]);
        for (int a = 0; a < k; a++) gram[a, a] += lambda * meanDiagonal;
        var inverse = GaussJordanInverse(gram);

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

    private static double[,] GaussJordanInverse(double[,] m)
    {
        int k = m.GetLength(0);
        var a = new double[k, 2 * k];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++) a[r, c] = m[r, c];
            a[r, k + r] = 1;
        }
        for (int col = 0; col < k; col++)
        {
            int pivot = Enumerable.Range(col, k - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int c = 0; c < 2 * k; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            double d = a[col, col];
            for (int c = 0; c < 2 * k; c++) a[col, c] /= d;
            for (int r = 0; r < k; r++)
            {
                if (r == col) continue;
                double f = a[r, col];
                for (int c = 0; c < 2 * k; c++) a[r, c] -= f * a[col, c];
            }
        }
        var inverse = new double[k, k];
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++) inverse[r, c] = a[r, k + c];
        return inverse;
    }
}
