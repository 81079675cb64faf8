using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Core.Similarity;

/// <summary>How much two methods agree on one target's ranking of training images.</summary>
/// <param name="SpearmanTop50Union">Spearman correlation of the two score vectors over the union of both top-50 lists;
/// null when fewer than 3 items or one side is constant there.</param>
public sealed record RankAgreementFigures(double OverlapAt10, double OverlapAt50, double? SpearmanTop50Union, int Candidates);

/// <summary>Overlap@k = |top-k(a) ∩ top-k(b)| / k (higher score ranks first; k is clipped to the number of candidates)
/// and Spearman on the union of the top-50s. Items NaN in either vector are not candidates of both and are left out.</summary>
public static class RankAgreement
{
    public static RankAgreementFigures Compute(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"score vectors have {a.Length} and {b.Length} entries");
        var common = Enumerable.Range(0, a.Length).Where(i => !float.IsNaN(a[i]) && !float.IsNaN(b[i])).ToArray();
        var ca = common.Select(i => a[i]).ToArray();
        var cb = common.Select(i => b[i]).ToArray();
        var top50 = TopK.Largest(ca, 50).Union(TopK.Largest(cb, 50)).ToArray();
        return new RankAgreementFigures(Overlap(ca, cb, 10), Overlap(ca, cb, 50),
            Spearman(top50.Select(i => (double)ca[i]).ToArray(), top50.Select(i => (double)cb[i]).ToArray()), common.Length);
    }

    public static double Overlap(float[] a, float[] b, int k)
    {
        k = Math.Min(k, a.Length);
        if (k == 0) return 0;
        var topA = TopK.Largest(a, k).ToHashSet();
        return TopK.Largest(b, k).Count(topA.Contains) / (double)k;
    }

    /// <summary>Pearson correlation of average ranks (ties share their mean rank).</summary>
    public static double? Spearman(double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException("Spearman needs paired values");
        if (x.Length < 3) return null;
        var rx = Ranks(x);
        var ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }

    public static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double mean = (start + end) / 2.0 + 1;
            for (int j = start; j <= end; j++) ranks[order[j]] = mean;
            start = end + 1;
        }
        return ranks;
    }
}
