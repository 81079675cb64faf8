using AttributionExplorer.Core.Runs;

namespace AttributionExplorer.Core.Tests.Runs;

public class RunParametersTests
{
    private sealed record Sample(int Seed, double Lambda, int[] Rates) : IRunParameters
    {
        public string RunKind => "sample";
    }

    [Fact]
    public void SerializesOnceCamelCaseWithoutTheKindAndReadsBackTyped()
    {
        var parameters = new Sample(3, 1e-3, [1, 2]);
        string json = RunParameters.Serialize(parameters);
        Assert.Equal("{\"seed\":3,\"lambda\":0.001,\"rates\":[1,2]}", json);
        var run = new RunRecord(1, 1, "sample", "id", json, [], RunState.Complete, null, null, 1, null, null, DateTime.UtcNow, null, null, 0);
        var read = RunParameters.Read<Sample>(run);
        Assert.Equal((3, 1e-3), (read.Seed, read.Lambda));
        Assert.Equal([1, 2], read.Rates);
        Assert.Throws<InvalidOperationException>(() => RunParameters.Read<Sample>(run with { Kind = "other" }));
    }

    [Fact]
    public void IdentityChangesWithEveryInputButNotWithTheOrderOfUpstreamRuns()
    {
        string Id(string kind = "k", long dataset = 1, string version = "v", string json = "{}", long[]? upstream = null) =>
            RunParameters.Identity(kind, dataset, version, json, upstream ?? [4, 9]);
        string baseline = Id();
        Assert.Equal(baseline, Id(upstream: [9, 4]));
        Assert.Equal(64, baseline.Length);
        Assert.All(new[] { Id(kind: "j"), Id(dataset: 2), Id(version: "w"), Id(json: "{\"a\":1}"), Id(upstream: [4]) }, other => Assert.NotEqual(baseline, other));
    }
}
