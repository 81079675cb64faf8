namespace AttributionExplorer.Core.Similarity;

/// <summary>Cosine similarity between embeddings (computed in double; a zero vector has similarity 0 to everything).</summary>
public static class CosineSimilarity
{
    public static float[] Normalized(ReadOnlySpan<float> v)
    {
        double norm = 0;
        foreach (float x in v) norm += (double)x * x;
        norm = Math.Sqrt(norm);
        var result = new float[v.Length];
        if (norm == 0) return result;
        for (int i = 0; i < v.Length; i++) result[i] = (float)(v[i] / norm);
        return result;
    }

    public static double Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"embeddings have {a.Length} and {b.Length} dimensions");
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Similarity of <paramref name="query"/> to each candidate; null candidates (not in the pool) give NaN.</summary>
    public static float[] ToEach(ReadOnlySpan<float> query, IReadOnlyList<float[]?> candidates)
    {
        var result = new float[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
            result[i] = candidates[i] is { } c ? (float)Between(query, c) : float.NaN;
        return result;
    }
}
