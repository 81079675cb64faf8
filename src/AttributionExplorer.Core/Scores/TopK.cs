namespace AttributionExplorer.Core.Scores;

/// <summary>Indices of the k largest or smallest values, best first, ties broken by the lower index; O(n log k).
/// NaN marks "not a candidate" (e.g. a training image outside a similarity method's same-class pool) and is never selected.</summary>
public static class TopK
{
    public static int[] Largest(ReadOnlySpan<float> values, int k) => Select(values, k, largest: true);
    public static int[] Smallest(ReadOnlySpan<float> values, int k) => Select(values, k, largest: false);

    private static int[] Select(ReadOnlySpan<float> values, int k, bool largest)
    {
        k = Math.Min(k, values.Length);
        if (k <= 0) return [];
        // The heap's root is the worst kept element: a new one replaces it when it is strictly better.
        var heap = new PriorityQueue<int, (float Value, int Index)>(k, Comparer<(float Value, int Index)>.Create((a, b) =>
        {
            int c = largest ? a.Value.CompareTo(b.Value) : b.Value.CompareTo(a.Value);
            return c != 0 ? c : b.Index.CompareTo(a.Index);
        }));
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i])) continue;
            if (heap.Count < k) { heap.Enqueue(i, (values[i], i)); continue; }
            heap.TryPeek(out _, out var worst);
            bool better = largest ? values[i] > worst.Value : values[i] < worst.Value;
            if (better) heap.EnqueueDequeue(i, (values[i], i));
        }
        var result = new int[heap.Count];
        for (int r = result.Length - 1; r >= 0; r--) result[r] = heap.Dequeue();
        return result;
    }
}
