using AttributionExplorer.Core.Similarity;

namespace AttributionExplorer.Core.Tests.Similarity;

public class CosineSimilarityTests
{
    [Fact]
    public void MatchesHandComputedAnglesAndMarksMissingCandidates()
    {
        float[] q = [1, 0];
        var s = CosineSimilarity.ToEach(q, [[2, 0], [0, 3], [-1, 1], null, [0, 0]]);
        Assert.Equal(1f, s[0], 6);
        Assert.Equal(0f, s[1], 6);
        Assert.Equal(-1 / MathF.Sqrt(2), s[2], 6);
        Assert.True(float.IsNaN(s[3]));
        Assert.Equal(0f, s[4]);
        Assert.Equal(new[] { 0.6f, 0.8f }, CosineSimilarity.Normalized([3, 4]));
        Assert.Throws<ArgumentException>(() => CosineSimilarity.Between([1], [1, 2]));
    }
}
