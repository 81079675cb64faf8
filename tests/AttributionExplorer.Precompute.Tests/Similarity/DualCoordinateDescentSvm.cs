namespace AttributionExplorer.Precompute.Tests.Similarity;

/// <summary>Independent reference: liblinear's dual coordinate descent for L2-regularized squared-hinge SVC (Hsieh et
/// al. 2008), plain double arithmetic, bias as an appended constant feature. min_α ½αᵀ(Q + D)α − Σα, α ≥ 0,
/// Q_ij = yᵢyⱼ x̃ᵢ·x̃ⱼ, D_ii = 1/(2Cᵢ); w = Σ αᵢyᵢx̃ᵢ.</summary>
internal static class DualCoordinateDescentSvm
{
    public static (double[] W, double Bias) Fit(double[][] x, int[] y, double[] sampleC, int sweeps = 200_000, double tolerance = 1e-13)
    {
        int n = x.Length, d = x[0].Length;
        var xt = x.Select(r => r.Append(1.0).ToArray()).ToArray();
        var w = new double[d + 1];
        var alpha = new double[n];
        var qDiag = Enumerable.Range(0, n).Select(i => xt[i].Sum(v => v * v) + 1 / (2 * sampleC[i])).ToArray();
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            double maxViolation = 0;
            for (int i = 0; i < n; i++)
            {
                double g = y[i] * Dot(w, xt[i]) - 1 + alpha[i] / (2 * sampleC[i]);
                double projected = alpha[i] == 0 ? Math.Min(g, 0) : g;
                maxViolation = Math.Max(maxViolation, Math.Abs(projected));
                if (projected == 0) continue;
                double old = alpha[i];
                alpha[i] = Math.Max(old - g / qDiag[i], 0);
                for (int j = 0; j <= d; j++) w[j] += (alpha[i] - old) * y[i] * xt[i][j];
            }
            if (maxViolation < tolerance) break;
        }
        return (w[..d], w[d]);
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
