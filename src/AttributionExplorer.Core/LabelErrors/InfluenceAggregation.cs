namespace AttributionExplorer.Core.LabelErrors;

/// <summary>Turns TRAK scores (targets × train items, positive = the item raises the target's output) into one
/// suspicion per train item (higher = more suspect). A mislabeled item is expected to lower outputs on held-out
/// targets that look like it, so suspicion is the negated influence.</summary>
public static class InfluenceAggregation
{
    /// <summary>−mean over all targets: the product's original queue order.</summary>
    public static double[] NegatedMean(IReadOnlyList<float[]> scores)
    {
        int n = Width(scores);
        var result = new double[n];
        foreach (var row in scores)
            for (int i = 0; i < n; i++) result[i] -= row[i];
        for (int i = 0; i < n; i++) result[i] /= scores.Count;
        return result;
    }

    /// <summary>Per group (e.g. the class of a class or object target): the mean score over the group's targets; the
    /// suspicion is the most negative group mean, negated. A label error hurts the targets of its own class(es), and
    /// averaging over every class would dilute that.</summary>
    public static double[] NegatedMostNegativeGroupMean(IReadOnlyList<float[]> scores, IReadOnlyList<int> groupOfTarget)
    {
        if (groupOfTarget.Count != scores.Count) throw new ArgumentException($"{groupOfTarget.Count} groups for {scores.Count} targets");
        int n = Width(scores);
        var result = Enumerable.Repeat(double.NegativeInfinity, n).ToArray();
        foreach (var group in groupOfTarget.Distinct())
        {
            var members = Enumerable.Range(0, scores.Count).Where(t => groupOfTarget[t] == group).ToArray();
            for (int i = 0; i < n; i++)
            {
                double mean = 0;
                foreach (int t in members) mean += scores[t][i];
                result[i] = Math.Max(result[i], -mean / members.Length);
            }
        }
        return result;
    }

    /// <summary>Influence on the other train items: for item j, the mean over i ≠ j of S[i][j], where S[i][j] is how
    /// much upweighting j raises item i's training loss (square matrix). Harmful items raise the others' losses.</summary>
    public static double[] MeanEffectOnOthers(IReadOnlyList<float[]> lossScores)
    {
        int n = Width(lossScores);
        if (lossScores.Count != n) throw new ArgumentException("train-on-train scores must be square");
        if (n < 2) throw new ArgumentException("need at least two items");
        var result = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) result[j] += lossScores[i][j];
        for (int j = 0; j < n; j++) result[j] /= n - 1;
        return result;
    }

    private static int Width(IReadOnlyList<float[]> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("no targets");
        int n = scores[0].Length;
        if (scores.Any(r => r.Length != n)) throw new ArgumentException("score rows differ in length");
        return n;
    }
}
