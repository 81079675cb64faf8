using AttributionExplorer.Core.Similarity;

namespace AttributionExplorer.Core.Tests.Similarity;

public class RetrievalQualityTests
{
    private static IReadOnlySet<int> Classes(params int[] c) => c.ToHashSet();

    [Fact]
    public void Counts_the_nearest_neighbours_that_contain_the_dominant_class_against_the_pool_share()
    {
        // Pool: two images along x with class 1, one along y with class 2, one along −x with classes 1 and 2.
        float[][] pool = [[1, 0], [0.9f, 0.1f], [0, 1], [-1, 0]];
        IReadOnlySet<int>[] classes = [Classes(1), Classes(1), Classes(2), Classes(1, 2)];
        // Query 1 points along x (dominant class 1): its 2 nearest are pool 0 and 1, both class 1 → 1.0; random 3/4.
        // Query 2 points along y (dominant class 2): nearest pool 2 (class 2), then pool 1 (class 1) → 0.5; random 2/4.
        var quality = RetrievalQuality.Measure([[2, 0], [0, 3]], [1, 2], pool, classes, k: 2);

        Assert.Equal(2, quality.Queries);
        Assert.Equal((1.0 + 0.5) / 2, quality.Precision, 12);
        Assert.Equal((0.75 + 0.5) / 2, quality.RandomPrecision, 12);
        Assert.Equal(1.2, quality.Lift, 12);
    }

    [Fact]
    public void Skips_queries_without_a_dominant_class()
    {
        var quality = RetrievalQuality.Measure([[1, 0], [0, 1]], [null, 2], [[1, 0], [0, 1]], [Classes(1), Classes(2)], k: 1);
        Assert.Equal(1, quality.Queries);
        Assert.Equal(1.0, quality.Precision, 12);
        Assert.Equal(0.5, quality.RandomPrecision, 12);
    }

    [Fact]
    public void Refuses_a_k_beyond_the_pool()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            RetrievalQuality.Measure([[1f]], [1], [[1f]], [Classes(1)], k: 2));
        Assert.Contains("k must be in [1, 1]", error.Message);
    }
}
