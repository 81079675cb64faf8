namespace AttributionExplorer.Core.Evaluation;

/// <summary>Student's t distribution: its CDF through the regularized incomplete beta function, and its quantile by
/// bisection on the CDF (monotone, so bisection cannot miss). Enough for confidence intervals over a handful of seeds.</summary>
public static class StudentT
{
    /// <summary>P(T ≤ t) for T with <paramref name="degreesOfFreedom"/> (> 0) degrees of freedom.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "must be > 0");
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsPositiveInfinity(t)) return 1;
        if (double.IsNegativeInfinity(t)) return 0;
        double x = degreesOfFreedom / (degreesOfFreedom + t * t);
        double tail = 0.5 * RegularizedIncompleteBeta(x, degreesOfFreedom / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="p"/>, 0 &lt; p &lt; 1.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "must be in (0, 1)");
        if (p == 0.5) return 0;
        if (p < 0.5) return -Quantile(1 - p, degreesOfFreedom);
        double low = 0, high = 1;
        while (Cdf(high, degreesOfFreedom) < p) { low = high; high *= 2; }
        for (int i = 0; i < 200 && high - low > 1e-13 * Math.Max(1, high); i++)
        {
            double mid = 0.5 * (low + high);
            if (Cdf(mid, degreesOfFreedom) < p) low = mid;
            else high = mid;
        }
        return 0.5 * (low + high);
    }

    /// <summary>I_x(a, b) by the continued fraction (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
    /// where the fraction converges slowly.</summary>
    public static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - front * ContinuedFraction(1 - x, b, a) / b;
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 500; m++)
        {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + even / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + odd / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /// <summary>ln Γ(x), x > 0, Lanczos approximation (g = 7, 9 terms; relative error ~1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double sum = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
