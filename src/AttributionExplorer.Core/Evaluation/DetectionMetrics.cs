namespace AttributionExplorer.Core.Evaluation;

/// <summary>How well a suspicion score finds known positives (e.g. planted label errors). Higher score = more suspect.
/// Ties are broken by index, so a ranking is deterministic; AUROC counts ties as half (Mann–Whitney).</summary>
public static class DetectionMetrics
{
    /// <summary>Indices by descending score (stable).</summary>
    public static int[] Ranking(IReadOnlyList<double> scores) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();

    /// <summary>Precision among the first k of the ranking, for k = 1…n.</summary>
    public static double[] PrecisionCurve(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        Check(scores, positives);
        var ranking = Ranking(scores);
        var curve = new double[ranking.Length];
        int hits = 0;
        for (int k = 0; k < ranking.Length; k++)
        {
            if (positives[ranking[k]]) hits++;
            curve[k] = hits / (double)(k + 1);
        }
        return curve;
    }

    public static double PrecisionAt(IReadOnlyList<double> scores, IReadOnlyList<bool> positives, int k) =>
        k < 1 ? double.NaN : PrecisionCurve(scores, positives)[Math.Min(k, scores.Count) - 1];

    public static double RecallAt(IReadOnlyList<double> scores, IReadOnlyList<bool> positives, int k)
    {
        int total = positives.Count(p => p);
        if (total == 0 || k < 1) return double.NaN;
        return Ranking(scores).Take(k).Count(i => positives[i]) / (double)total;
    }

    /// <summary>Probability that a random positive scores above a random negative (ties count ½).</summary>
    public static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        Check(scores, positives);
        var pos = scores.Where((_, i) => positives[i]).ToArray();
        var neg = scores.Where((_, i) => !positives[i]).ToArray();
        if (pos.Length == 0 || neg.Length == 0) return double.NaN;
        double wins = 0;
        foreach (var p in pos)
            foreach (var n in neg)
                wins += p > n ? 1 : p == n ? 0.5 : 0;
        return wins / ((double)pos.Length * neg.Length);
    }

    /// <summary>Average precision: the mean, over positives, of the precision at each positive's rank (area under the
    /// precision–recall step curve).</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        Check(scores, positives);
        var ranking = Ranking(scores);
        int hits = 0;
        double sum = 0;
        for (int k = 0; k < ranking.Length; k++)
            if (positives[ranking[k]]) sum += ++hits / (double)(k + 1);
        return hits == 0 ? double.NaN : sum / hits;
    }

    private static void Check(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        if (scores.Count != positives.Count) throw new ArgumentException($"{scores.Count} scores for {positives.Count} labels");
    }
}
