using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Similarity;

/// <summary>Exemplar-SVM rankings for many queries whose negatives are subsets (e.g. "training images with the same
/// class") of one embedding matrix: queries with identical candidate sets are fitted together as one batched problem.</summary>
public static class EsvmRanker
{
    /// <param name="candidates">Per query, indices into <paramref name="pool"/> of its negatives.</param>
    /// <returns>Per query, decision values aligned with its candidate indices (higher = more like the query).</returns>
    public static float[][] DecisionValues(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> pool,
        IReadOnlyList<int[]> candidates, EsvmSettings settings)
    {
        if (candidates.Count != queries.Count) throw new ArgumentException($"{candidates.Count} candidate lists for {queries.Count} queries");
        var result = new float[queries.Count][];
        foreach (var group in Enumerable.Range(0, queries.Count).GroupBy(i => string.Join(",", candidates[i])))
        {
            var members = group.ToArray();
            var indices = candidates[members[0]];
            if (indices.Length == 0) { foreach (int m in members) result[m] = []; continue; }
            using var scope = torch.NewDisposeScope();
            var q = Stack(members.Select(m => queries[m]).ToList());
            var x = Stack(indices.Select(i => pool[i]).ToList());
            var (w, bias) = ExemplarSvm.Fit(q, x, settings);
            var values = ExemplarSvm.DecisionValues(w, bias, x, settings).to(ScalarType.Float32);
            for (int r = 0; r < members.Length; r++) result[members[r]] = values[r].data<float>().ToArray();
        }
        return result;
    }

    private static Tensor Stack(IReadOnlyList<float[]> rows)
    {
        int d = rows[0].Length;
        var flat = new float[rows.Count * d];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != d) throw new ArgumentException($"embedding {i} has {rows[i].Length} dimensions, expected {d}");
            rows[i].CopyTo(flat, i * d);
        }
        return torch.tensor(flat, [rows.Count, d]);
    }
}
