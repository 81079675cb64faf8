namespace AttributionExplorer.Core.Evaluation;

/// <summary>A figure with its 95% percentile-bootstrap interval.</summary>
public sealed record Interval(double Estimate, double Low, double High)
{
    public override string ToString() => $"{Estimate:0.00} [{Low:0.00}, {High:0.00}]";

    /// <summary>The 2.5% and 97.5% quantiles (linear interpolation) of <paramref name="samples"/> around <paramref name="estimate"/>.</summary>
    public static Interval Percentile(double estimate, IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("a percentile interval needs at least one sample");
        return new Interval(estimate, Quantile(sorted, 0.025), Quantile(sorted, 0.975));
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(sorted.Length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}

/// <summary>AUROC, average precision and precision in the first 5% of a suspicion ranking, each with a 95% interval
/// from a seeded bootstrap over items (items drawn with replacement, the same draws for every figure; a draw without
/// a positive or without a negative is redrawn).</summary>
public sealed record DetectionFigures(Interval Auroc, Interval AveragePrecision, Interval PrecisionAt5Percent, int Positives, int Negatives);

public static class BootstrapDetection
{
    public const int DefaultResamples = 1000;

    public static DetectionFigures Evaluate(IReadOnlyList<double> scores, IReadOnlyList<bool> positives, int resamples = DefaultResamples, int seed = 0)
    {
        if (scores.Count != positives.Count) throw new ArgumentException($"{scores.Count} scores for {positives.Count} labels");
        int n = scores.Count, pos = positives.Count(p => p);
        if (pos == 0 || pos == n) throw new ArgumentException("need at least one positive and one negative");
        var all = Enumerable.Range(0, n).ToArray();
        var point = Figures(scores, positives, all);
        var random = new Random(seed);
        var samples = new List<(double Auroc, double Ap, double P5)>(resamples);
        var draw = new int[n];
        while (samples.Count < resamples)
        {
            int drawnPositives = 0;
            for (int i = 0; i < n; i++) { draw[i] = random.Next(n); if (positives[draw[i]]) drawnPositives++; }
            if (drawnPositives == 0 || drawnPositives == n) continue;
            samples.Add(Figures(scores, positives, draw));
        }
        return new DetectionFigures(
            Interval.Percentile(point.Auroc, samples.Select(s => s.Auroc)),
            Interval.Percentile(point.Ap, samples.Select(s => s.Ap)),
            Interval.Percentile(point.P5, samples.Select(s => s.P5)), pos, n - pos);
    }

    /// <summary>Items in the first 5%: ⌈0.05 n⌉, at least one.</summary>
    public static int FirstFivePercent(int n) => Math.Max(1, (int)Math.Ceiling(0.05 * n));

    /// <summary>Figures on a multiset of items (indices may repeat). Ties in score are ordered by item index, as in
    /// <see cref="DetectionMetrics"/>; AUROC counts ties as half.</summary>
    internal static (double Auroc, double Ap, double P5) Figures(IReadOnlyList<double> scores, IReadOnlyList<bool> positives, int[] items)
    {
        var order = items.OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        int n = order.Length, total = order.Count(i => positives[i]);
        int k5 = FirstFivePercent(n), hits = 0, hitsAt5 = 0;
        double apSum = 0;
        for (int r = 0; r < n; r++)
        {
            if (positives[order[r]]) apSum += ++hits / (double)(r + 1);
            if (r == k5 - 1) hitsAt5 = hits;
        }
        return (Auroc(scores, positives, order), apSum / total, hitsAt5 / (double)k5);
    }

    /// <summary>Mann–Whitney AUROC by a sweep over the descending order: each negative beats the positives below it,
    /// ties count half. O(n log n), the same value as the pairwise count.</summary>
    private static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> positives, int[] descending)
    {
        double wins = 0;
        long positivesAbove = 0, pos = 0, neg = 0;
        for (int start = 0; start < descending.Length;)
        {
            int end = start;
            while (end + 1 < descending.Length && scores[descending[end + 1]] == scores[descending[start]]) end++;
            long tiedPos = 0, tiedNeg = 0;
            for (int r = start; r <= end; r++) if (positives[descending[r]]) tiedPos++; else tiedNeg++;
            wins += tiedNeg * (positivesAbove + 0.5 * tiedPos);
            positivesAbove += tiedPos;
            pos += tiedPos;
            neg += tiedNeg;
            start = end + 1;
        }
        return wins / ((double)pos * neg);
    }
}

/// <summary>Whether one detector beats another on the same items: the paired bootstrap of a difference in a figure.</summary>
public static class PairedBootstrap
{
    /// <summary>AP(a) − AP(b) with its 95% interval; both detectors are scored on the same resampled items.</summary>
    public static Interval AveragePrecisionDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<bool> positives,
        int resamples = BootstrapDetection.DefaultResamples, int seed = 0)
    {
        if (a.Count != b.Count || a.Count != positives.Count) throw new ArgumentException("detectors and labels differ in length");
        int n = a.Count;
        var all = Enumerable.Range(0, n).ToArray();
        double point = BootstrapDetection.Figures(a, positives, all).Ap - BootstrapDetection.Figures(b, positives, all).Ap;
        var random = new Random(seed);
        var samples = new List<double>(resamples);
        var draw = new int[n];
        while (samples.Count < resamples)
        {
            int drawnPositives = 0;
            for (int i = 0; i < n; i++) { draw[i] = random.Next(n); if (positives[draw[i]]) drawnPositives++; }
            if (drawnPositives == 0 || drawnPositives == n) continue;
            samples.Add(BootstrapDetection.Figures(a, positives, draw).Ap - BootstrapDetection.Figures(b, positives, draw).Ap);
        }
        samples.Sort();
        double Q(double q) { double p = q * (samples.Count - 1); int lo = (int)p; int hi = Math.Min(samples.Count - 1, lo + 1); return samples[lo] + (p - lo) * (samples[hi] - samples[lo]); }
        return new Interval(point, Q(0.025), Q(0.975));
    }
}
