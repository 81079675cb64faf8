using TorchSharp;

namespace AttributionExplorer.Precompute.Tests.Plugins;

/// <summary>Random TRAK features and a brute-force (ΦᵀΦ + λ·mean(diag ΦᵀΦ)·I)⁻¹ in double precision (Gauss–Jordan with
/// partial pivoting): the independent computation the train-kernel detectors are checked against.</summary>
public static class KernelBruteForce
{
    public static (torch.Tensor Phi, double[][] Rows) RandomFeatures(int seed, int n, int k)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, k).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var phi = torch.tensor(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), [n, k]);
        return (phi, rows.Select(r => r.Select(v => (double)(float)v).ToArray()).ToArray());
    }

    public static double[,] Inverse(double[][] rows, double lambda)
    {
        int k = rows[0].Length;
        var a = new double[k, 2 * k];
        for (int p = 0; p < k; p++)
            for (int q = 0; q < k; q++)
                a[p, q] = rows.Sum(r => r[p] * r[q]);
        double ridge = lambda * Enumerable.Range(0, k).Average(p => a[p, p]);
        for (int p = 0; p < k; p++) { a[p, p] += ridge; a[p, k + p] = 1; }
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
        for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) inverse[p, q] = a[p, k + q];
        return inverse;
    }

    public static double Quadratic(double[] x, double[,] m, double[] y)
    {
        double sum = 0;
        for (int p = 0; p < x.Length; p++) for (int q = 0; q < y.Length; q++) sum += x[p] * m[p, q] * y[q];
        return sum;
    }
}
