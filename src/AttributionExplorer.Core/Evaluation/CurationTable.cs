namespace AttributionExplorer.Core.Evaluation;

/// <summary>Turns per-seed mIoU into the curation table: each (order, percent) cell's mean with its t-interval, and
/// the paired (by seed) differences of every order against nothing removed, against random removal and against the
/// confidence detector at the same percent.</summary>
public static class CurationTable
{
    public const string None = "none";

    /// <param name="orders">The orders' names, "random" among them; the comparisons are made against
    /// <paramref name="random"/> and <paramref name="confidence"/> when those are present.</param>
    /// <param name="perSeed">mIoU per (order, percent), one value per seed in seed order.</param>
    public static (IReadOnlyList<CurationCell> Cells, IReadOnlyList<CurationDifference> Differences) Build(
        IReadOnlyList<string> orders, IReadOnlyList<(int Percent, int Removed)> percents, double[] baseline,
        IReadOnlyDictionary<(string Order, int Percent), double[]> perSeed, string random, string? confidence, double level)
    {
        var cells = new List<CurationCell>();
        var differences = new List<CurationDifference>();
        foreach (var (percent, removed) in percents)
        {
            foreach (var order in orders)
                cells.Add(new CurationCell(order, percent, removed, MeanInterval.Of(Values(perSeed, order, percent, baseline.Length), level), perSeed[(order, percent)]));
            foreach (var order in orders)
            {
                var values = perSeed[(order, percent)];
                differences.Add(new CurationDifference(order, None, percent, MeanInterval.PairedDifference(values, baseline, level)));
                if (order != random && orders.Contains(random))
                    differences.Add(new CurationDifference(order, random, percent, MeanInterval.PairedDifference(values, perSeed[(random, percent)], level)));
                if (confidence is not null && order != confidence && order != random && orders.Contains(confidence))
                    differences.Add(new CurationDifference(order, confidence, percent, MeanInterval.PairedDifference(values, perSeed[(confidence, percent)], level)));
            }
        }
        return (cells, differences);
    }

    private static double[] Values(IReadOnlyDictionary<(string, int), double[]> perSeed, string order, int percent, int seeds)
    {
        var values = perSeed[(order, percent)];
        if (values.Length != seeds) throw new ArgumentException($"{order} at {percent}%: {values.Length} values for {seeds} seeds");
        return values;
    }
}
