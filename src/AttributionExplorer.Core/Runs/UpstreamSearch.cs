namespace AttributionExplorer.Core.Runs;

/// <summary>Searches a run's upstream graph (its inputs, their inputs, …), e.g. for whether a detector's ranking was
/// computed from held-out targets.</summary>
public static class UpstreamSearch
{
    /// <summary>The path from <paramref name="runId"/> (first) to the nearest upstream run that satisfies
    /// <paramref name="matches"/> (last), breadth first; null when none does. The run itself is not tested.</summary>
    public static IReadOnlyList<long>? PathTo(long runId, Func<long, IReadOnlyList<long>> upstreamOf, Func<long, bool> matches)
    {
        var cameFrom = new Dictionary<long, long> { [runId] = runId };
        var queue = new Queue<long>([runId]);
        while (queue.Count > 0)
        {
            long current = queue.Dequeue();
            foreach (long input in upstreamOf(current))
            {
                if (!cameFrom.TryAdd(input, current)) continue;
                if (matches(input))
                {
                    var path = new List<long> { input };
                    for (long at = input; at != runId;) path.Add(at = cameFrom[at]);
                    path.Reverse();
                    return path;
                }
                queue.Enqueue(input);
            }
        }
        return null;
    }
}
