namespace AttributionExplorer.Core.Evaluation;

/// <summary>Mean and standard error of the mean (sample standard deviation / √n; 0 for a single value).</summary>
public sealed record MeanWithError(double Mean, double StandardError, int Count)
{
    public static MeanWithError Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new(double.NaN, double.NaN, 0);
        double mean = values.Average();
        if (values.Count == 1) return new(mean, 0, 1);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new(mean, Math.Sqrt(variance / values.Count), values.Count);
    }

    public override string ToString() => $"{Mean:F4} ± {StandardError:F4} (n = {Count})";
}
