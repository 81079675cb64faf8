namespace AttributionExplorer.Core.Similarity;

/// <summary>How well an embedding retrieves images of the same class: for each query (a held-out image), the share of
/// its k nearest training images (cosine) that contain the query's dominant class (the class with the largest
/// annotated area), against the share a random draw of k would have (the fraction of training images containing that
/// class). The gap is what the embedding knows about classes without ever seeing a label.</summary>
public sealed record RetrievalQuality(int K, int Queries, double Precision, double RandomPrecision)
{
    public double Lift => RandomPrecision > 0 ? Precision / RandomPrecision : double.NaN;

    /// <param name="queries">Query embeddings; a query whose dominant class is null (no annotation) is skipped.</param>
    /// <param name="dominantClass">Per query, its dominant class or null.</param>
    /// <param name="pool">Training embeddings.</param>
    /// <param name="poolClasses">Per training image, the classes it contains.</param>
    public static RetrievalQuality Measure(IReadOnlyList<float[]> queries, IReadOnlyList<int?> dominantClass,
        IReadOnlyList<float[]> pool, IReadOnlyList<IReadOnlySet<int>> poolClasses, int k)
    {
        if (queries.Count != dominantClass.Count) throw new ArgumentException($"{queries.Count} queries but {dominantClass.Count} dominant classes");
        if (pool.Count != poolClasses.Count) throw new ArgumentException($"{pool.Count} pool embeddings but {poolClasses.Count} class sets");
        if (k < 1 || k > pool.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {pool.Count}]");
        var normalizedPool = pool.Select(p => CosineSimilarity.Normalized(p)).ToArray();
        double precision = 0, random = 0;
        int counted = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            if (dominantClass[q] is not int c) continue;
            var query = CosineSimilarity.Normalized(queries[q]);
            var similarity = new double[pool.Count];
            for (int j = 0; j < pool.Count; j++)
            {
                double dot = 0;
                for (int d = 0; d < query.Length; d++) dot += (double)query[d] * normalizedPool[j][d];
                similarity[j] = dot;
            }
            // Ties broken by pool order, so the measure is deterministic.
            var nearest = Enumerable.Range(0, pool.Count).OrderByDescending(j => similarity[j]).ThenBy(j => j).Take(k);
            precision += nearest.Count(j => poolClasses[j].Contains(c)) / (double)k;
            random += poolClasses.Count(s => s.Contains(c)) / (double)pool.Count;
            counted++;
        }
        return counted == 0 ? new RetrievalQuality(k, 0, double.NaN, double.NaN)
            : new RetrievalQuality(k, counted, precision / counted, random / counted);
    }
}
