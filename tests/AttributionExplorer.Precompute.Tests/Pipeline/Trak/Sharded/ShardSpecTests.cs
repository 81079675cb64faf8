using AttributionExplorer.Worker.Pipeline.Trak.Sharded;

namespace AttributionExplorer.Precompute.Tests.Pipeline.Trak.Sharded;

public class ShardSpecTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void ParsesIndexOverCount(string text, int index, int count) => Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void RefusesWhatIsNotAShardOfN(string text) =>
        Assert.Contains($"--shard '{text}'", Assert.Throws<ArgumentException>(() => ShardSpec.Parse(text)).Message);

    [Fact]
    public void RoundRobinGivesEveryUnitToExactlyOneShard()
    {
        var units = Enumerable.Range(0, 11).ToList();
        var taken = Enumerable.Range(0, 4).Select(i => new ShardSpec(i, 4).Take(units)).ToList();
        Assert.Equal(units, taken.SelectMany(t => t).Order());
        Assert.All(taken, t => Assert.InRange(t.Count, 2, 3));
        Assert.All(units, u => Assert.Contains(u, taken[ShardSpec.Owner(u, 4).Index]));
    }

    [Theory]
    [InlineData(19, 2, 4)]
    [InlineData(48, 16, 4)]
    [InlineData(5, 16, 3)]
    [InlineData(1000, 16, 7)]
    public void TargetRangesTileTheTargetsAtBatchBoundaries(int targets, int batch, int shards)
    {
        var ranges = Enumerable.Range(0, shards).Select(i => new ShardSpec(i, shards).TargetRange(targets, batch)).ToList();
        int next = 0;
        foreach (var (start, count) in ranges)
        {
            Assert.Equal(next, start);
            Assert.True(count >= 0);
            if (start + count < targets) Assert.Equal(0, (start + count) % batch);
            next = start + count;
        }
        Assert.Equal(targets, next);
    }
}
