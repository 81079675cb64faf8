namespace AttributionExplorer.Core.Exports;

/// <summary>Which training images a curated export keeps.</summary>
public static class CuratedSubset
{
    /// <summary>Drops the floor(N·p/100) training images with the most negative overall influence (smallest ranks)
    /// and every flagged image; returns the rest in ascending id order. N is the number of training images. An image
    /// without an overall rank (no target of a similarity run had it as a candidate) carries no evidence and is never
    /// among the bottom; ranks of images outside <paramref name="trainIds"/> are ignored.</summary>
    public static IReadOnlyList<long> Select(IReadOnlyList<long> trainIds, IReadOnlyList<(long ImageId, int Rank)> overallRanks,
        IReadOnlySet<long> flagged, double dropBottomPercent)
    {
        if (double.IsNaN(dropBottomPercent) || dropBottomPercent < 0 || dropBottomPercent > 100)
            throw new ArgumentOutOfRangeException(nameof(dropBottomPercent), $"dropBottomPercent: {dropBottomPercent} is outside 0..100");
        var train = new HashSet<long>(trainIds.Count);
        foreach (long id in trainIds)
            if (!train.Add(id)) throw new ArgumentException($"trainIds: image {id} is listed twice", nameof(trainIds));

        int dropCount = BottomCount(train.Count, dropBottomPercent);
        var dropped = new HashSet<long>(flagged.Where(train.Contains));
        if (dropCount > 0)
        {
            var rankOf = new Dictionary<long, int>(overallRanks.Count);
            foreach (var (imageId, rank) in overallRanks)
                if (!rankOf.TryAdd(imageId, rank)) throw new ArgumentException($"overallRanks: image {imageId} is ranked twice", nameof(overallRanks));
            foreach (long id in train.Where(rankOf.ContainsKey).OrderBy(id => rankOf[id]).ThenBy(id => id).Take(dropCount)) dropped.Add(id);
        }
        return train.Where(id => !dropped.Contains(id)).Order().ToArray();
    }

    /// <summary>floor(n·p/100), computed in decimal so that e.g. 29% of 100 is 29, not 28 (0.29 is inexact in binary).</summary>
    public static int BottomCount(int n, double percent) => (int)Math.Floor(n * (decimal)percent / 100m);
}
