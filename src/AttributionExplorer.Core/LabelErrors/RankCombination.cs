namespace AttributionExplorer.Core.LabelErrors;

/// <summary>Combining suspicion scores that live on different scales through their ranks. Higher = more suspect.</summary>
public static class RankCombination
{
    /// <summary>Each item's rank as a fraction in (0, 1]: the most suspect item gets 1, the least 1/n; ties share the
    /// mean of their ranks, so the result does not depend on item order.</summary>
    public static double[] NormalizedRanks(IReadOnlyList<double> scores)
    {
        int n = scores.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double mean = (start + end) / 2.0 + 1;
            for (int j = start; j <= end; j++) ranks[order[j]] = mean / n;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>An item flagged strongly by any of the detectors: the largest of its normalized ranks; ties between
    /// items (same maximum) are broken by the mean rank, scaled far below one rank step.</summary>
    public static double[] MaxOfRanks(params IReadOnlyList<double>[] detectors)
    {
        Check(detectors);
        var ranks = detectors.Select(NormalizedRanks).ToArray();
        int n = detectors[0].Count;
        var combined = new double[n];
        for (int i = 0; i < n; i++)
        {
            double max = ranks.Max(r => r[i]), mean = ranks.Average(r => r[i]);
            combined[i] = max + mean / (4.0 * n * n);
        }
        return combined;
    }

    /// <summary>The mean of the normalized ranks (a Borda count).</summary>
    public static double[] MeanOfRanks(params IReadOnlyList<double>[] detectors)
    {
        Check(detectors);
        var ranks = detectors.Select(NormalizedRanks).ToArray();
        return Enumerable.Range(0, detectors[0].Count).Select(i => ranks.Average(r => r[i])).ToArray();
    }

    private static void Check(IReadOnlyList<double>[] detectors)
    {
        if (detectors.Length == 0) throw new ArgumentException("need at least one detector");
        if (detectors.Any(d => d.Count != detectors[0].Count)) throw new ArgumentException("detectors rank different numbers of items");
    }
}
