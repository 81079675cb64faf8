using AttributionExplorer.Core.Runs;

namespace AttributionExplorer.Core.Tests.Runs;

public class UpstreamSearchTests
{
    // 10 ← 20 ← 30 ← 40 (held-out scores), 10 ← 21 (train only), 21 ← 20 (shared input: visited once).
    private static readonly Dictionary<long, long[]> Graph = new()
    {
        [10] = [21, 20], [20] = [30], [21] = [20], [30] = [40], [40] = [],
    };

    private static IReadOnlyList<long> Upstream(long id) => Graph.GetValueOrDefault(id, []);

    [Fact]
    public void FindsTheNearestMatchingInputThroughItsChain() =>
        Assert.Equal([10L, 20, 30, 40], UpstreamSearch.PathTo(10, Upstream, id => id == 40));

    [Fact]
    public void NoMatchingInputGivesNullAndTheRunItselfIsNotTested()
    {
        Assert.Null(UpstreamSearch.PathTo(10, Upstream, id => id == 99));
        Assert.Null(UpstreamSearch.PathTo(40, Upstream, id => id == 40));
    }

    [Fact]
    public void ACycleEnds() =>
        Assert.Null(UpstreamSearch.PathTo(1, id => id == 1 ? [2L] : [1L], _ => false));
}
