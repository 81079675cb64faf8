namespace AttributionExplorer.Core.Evaluation;

/// <summary>Seeded random α-subsets of n training examples (without replacement, ⌊α·n⌋ each, sorted).</summary>
public static class SubsetSampler
{
    public static int[][] Sample(int n, double alpha, int count, int seed)
    {
        if (alpha is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be in (0, 1)");
        int size = Math.Max(1, (int)Math.Floor(alpha * n));
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var all = Enumerable.Range(0, n).ToArray();
            random.Shuffle(all);
            var subset = all[..size];
            Array.Sort(subset);
            return subset;
        }).ToArray();
    }
}
