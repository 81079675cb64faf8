namespace AttributionExplorer.Core.Evaluation;

/// <summary>A mean over seeds with its Student-t confidence interval: mean ± t(1 − (1 − level)/2, n − 1) × s/√n, s the
/// sample standard deviation. The interval covers the variation between the values given (for curation: retraining
/// seeds and, for random removal, which images are drawn), not the sampling of the images the values are measured on.
/// With fewer than two values there is no interval (NaN bounds).</summary>
public sealed record MeanInterval(double Mean, double StandardError, int Count, double Low, double High, double Level)
{
    public const double DefaultLevel = 0.95;

    public static MeanInterval Of(IReadOnlyCollection<double> values, double level = DefaultLevel)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "must be in (0, 1)");
        var summary = MeanWithError.Of(values);
        if (summary.Count < 2) return new(summary.Mean, double.NaN, summary.Count, double.NaN, double.NaN, level);
        double half = StudentT.Quantile(1 - (1 - level) / 2, summary.Count - 1) * summary.StandardError;
        return new(summary.Mean, summary.StandardError, summary.Count, summary.Mean - half, summary.Mean + half, level);
    }

    /// <summary>The interval of the mean of the differences a[i] − b[i] (values paired by position, e.g. by seed).</summary>
    public static MeanInterval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, double level = DefaultLevel)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired values need equal counts ({a.Count} and {b.Count})");
        return Of(a.Zip(b, (x, y) => x - y).ToArray(), level);
    }

    /// <summary>True when the interval lies wholly above or wholly below zero.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}
