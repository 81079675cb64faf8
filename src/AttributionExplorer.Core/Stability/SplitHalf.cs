using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Similarity;

namespace AttributionExplorer.Core.Stability;

/// <summary>Two disjoint halves of a checkpoint ensemble, as indices into the checkpoint list it was made from.</summary>
public sealed record EnsembleHalves(IReadOnlyList<int> A, IReadOnlyList<int> B, string Description);

/// <summary>Split-half reliability of rankings computed from a checkpoint ensemble. The ensemble is split by training
/// run, never inside one: a run's trajectory checkpoints are nearly the same model, so putting them in both halves would
/// make any ranking look stable. Runs are identified by their seed (two runs with the same seed are the same model
/// retrained and stay together too) and alternate between the halves in seed order: A, B, A, B, …</summary>
public static class SplitHalf
{
    /// <summary>The halves, or null with <paramref name="reason"/> when the ensemble has fewer than two training runs.</summary>
    public static EnsembleHalves? Split(IReadOnlyList<CheckpointRecord> checkpoints, out string reason)
    {
        var runs = Enumerable.Range(0, checkpoints.Count).GroupBy(i => checkpoints[i].Seed).OrderBy(g => g.Key).ToList();
        if (runs.Count < 2)
        {
            reason = runs.Count == 0 ? "no checkpoints"
                : $"one training run (seed {runs[0].Key}, {checkpoints.Count} checkpoint{(checkpoints.Count == 1 ? "" : "s")}): train two or more seeds to have two halves";
            return null;
        }
        reason = "";
        var a = runs.Where((_, r) => r % 2 == 0).ToList();
        var b = runs.Where((_, r) => r % 2 == 1).ToList();
        return new EnsembleHalves(a.SelectMany(g => g).Order().ToList(), b.SelectMany(g => g).Order().ToList(),
            $"half A: {Describe(a)}; half B: {Describe(b)}");
    }

    private static string Describe(IReadOnlyList<IGrouping<int, int>> runs) =>
        $"seed{(runs.Count == 1 ? "" : "s")} {string.Join(", ", runs.Select(g => g.Key))} ({runs.Sum(g => g.Count())} checkpoint{(runs.Sum(g => g.Count()) == 1 ? "" : "s")})";

    /// <summary>Spearman between the two halves' scores of the same items (NaN items, not candidates of a half, are left
    /// out); no figure when fewer than three items remain or one half is constant.</summary>
    public static Reliability Compare(IReadOnlyList<double> a, IReadOnlyList<double> b, string halves)
    {
        if (a.Count != b.Count) throw new ArgumentException($"the halves scored {a.Count} and {b.Count} items");
        var common = Enumerable.Range(0, a.Count).Where(i => !double.IsNaN(a[i]) && !double.IsNaN(b[i])).ToArray();
        double? rho = RankAgreement.Spearman(common.Select(i => a[i]).ToArray(), common.Select(i => b[i]).ToArray());
        return rho is { } r ? new Reliability(r, halves)
            : Reliability.None(common.Length < 3 ? $"fewer than 3 scored items ({halves})" : $"one half's scores are constant ({halves})");
    }

    /// <summary>A ranking of training images computed by <paramref name="detector"/> from each half of the ensemble, then
    /// compared: what a TrainImages detector records with its run (via <c>IRankingRunRepository.RecordReliability</c>).
    /// The detector gets the checkpoints of one half and returns one score per training image, in a fixed order.</summary>
    public static Reliability Measure(IReadOnlyList<CheckpointRecord> checkpoints, Func<IReadOnlyList<CheckpointRecord>, IReadOnlyList<double>> detector)
    {
        if (Split(checkpoints, out string reason) is not { } halves) return Reliability.None(reason);
        return Compare(detector(halves.A.Select(i => checkpoints[i]).ToList()), detector(halves.B.Select(i => checkpoints[i]).ToList()), halves.Description);
    }

    /// <summary>Per row (a target), the Spearman of half A's and half B's row-major [rows, columns] mean scores.</summary>
    public static IReadOnlyList<Reliability> PerRow(float[] a, float[] b, int rows, int columns, string halves)
    {
        if (a.Length != rows * columns || b.Length != rows * columns)
            throw new ArgumentException($"expected {rows}×{columns} scores per half, got {a.Length} and {b.Length}");
        return Enumerable.Range(0, rows).Select(t => Compare(Row(a, t, columns), Row(b, t, columns), halves)).ToList();
    }

    /// <summary>Per column (a training image), the mean over rows (targets), NaN-aware: the overall ranking of a run.</summary>
    public static double[] ColumnMeans(float[] scores, int rows, int columns)
    {
        var sums = new double[columns];
        var counts = new int[columns];
        for (int t = 0; t < rows; t++)
            for (int i = 0; i < columns; i++)
            {
                float s = scores[t * columns + i];
                if (float.IsNaN(s)) continue;
                sums[i] += s;
                counts[i]++;
            }
        return sums.Select((s, i) => counts[i] == 0 ? double.NaN : s / counts[i]).ToArray();
    }

    private static double[] Row(float[] scores, int row, int columns) =>
        scores.AsSpan(row * columns, columns).ToArray().Select(s => (double)s).ToArray();
}
