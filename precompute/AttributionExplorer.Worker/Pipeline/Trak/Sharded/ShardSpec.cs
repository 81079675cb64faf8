namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/> (written "i/N", 0 ≤ i &lt; N): which of a stage's units
/// one process computes. Units are dealt round-robin, so every shard gets about as many.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n))
            throw new ArgumentException($"--shard '{text}': expected i/N, e.g. 0/4");
        if (n < 1 || i < 0 || i >= n) throw new ArgumentException($"--shard '{text}': need 0 ≤ i < N and N ≥ 1");
        return new(i, n);
    }

    /// <summary>The units of this shard: every N-th, starting at i.</summary>
    public IReadOnlyList<T> Take<T>(IReadOnlyList<T> units)
    {
        var (index, count) = (Index, Count);
        return units.Where((_, j) => j % count == index).ToList();
    }

    /// <summary>The shard that computes unit <paramref name="unitIndex"/> of a round-robin stage.</summary>
    public static ShardSpec Owner(int unitIndex, int count) => new(unitIndex % count, count);

    /// <summary>Targets [Start, Start + Count) of <paramref name="targets"/> for this shard: contiguous, cut at multiples
    /// of <paramref name="batch"/> so each shard's gradient batches are the ones a single process would form.</summary>
    public (int Start, int Count) TargetRange(int targets, int batch)
    {
        int blocks = (targets + batch - 1) / batch;
        int first = (int)((long)blocks * Index / Count), last = (int)((long)blocks * (Index + 1) / Count);
        int start = Math.Min(first * batch, targets), end = Math.Min(last * batch, targets);
        return (start, end - start);
    }

    public string Folder => $"shard-{Index}-of-{Count}";
    public override string ToString() => $"{Index}/{Count}";
}
