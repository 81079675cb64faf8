using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Core.Tests.Scores;

public class ScoreCodecAndTopKTests
{
    [Fact]
    public void Float32RoundTripIsExactAndFloat16WithinTolerance()
    {
        var random = new Random(1);
        var scores = Enumerable.Range(0, 500).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 3)))).ToArray();
        Assert.Equal(scores, ScoreCodec.Decode(ScoreCodec.Encode(scores, ScoreDtype.Float32), ScoreDtype.Float32));
        var half = ScoreCodec.Decode(ScoreCodec.Encode(scores, ScoreDtype.Float16), ScoreDtype.Float16);
        Assert.Equal(scores.Length * 2, ScoreCodec.Encode(scores, ScoreDtype.Float16).Length);
        for (int i = 0; i < scores.Length; i++)
            Assert.True(Math.Abs(half[i] - scores[i]) <= 1e-3 * Math.Abs(scores[i]) + 1e-7, $"{scores[i]} -> {half[i]}");
    }

    [Fact]
    public void Float16SaturatesAndNaNMarksNonCandidates()
    {
        Assert.Equal([65504f, -65504f], ScoreCodec.Decode(ScoreCodec.Encode([1e6f, -1e9f], ScoreDtype.Float16), ScoreDtype.Float16));
        foreach (var dtype in new[] { ScoreDtype.Float16, ScoreDtype.Float32 })
        {
            var decoded = ScoreCodec.Decode(ScoreCodec.Encode([1f, float.NaN], dtype), dtype);
            Assert.Equal(1f, decoded[0]);
            Assert.True(float.IsNaN(decoded[1]));
        }
        Assert.Equal([2, 0], TopK.Largest([1f, float.NaN, 3f], 5));
        Assert.Equal([0, 2], TopK.Smallest([1f, float.NaN, 3f], 5));
        Assert.Throws<FormatException>(() => ScoreCodec.Decode(new byte[3], ScoreDtype.Float16));
    }

    [Fact]
    public void TopKMatchesAFullSortWithTiesByIndex()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 300).Select(_ => (float)random.Next(0, 40)).ToArray();
        var byValueDesc = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(25);
        var byValueAsc = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ThenBy(i => i).Take(25);
        Assert.Equal(byValueDesc, TopK.Largest(values, 25));
        Assert.Equal(byValueAsc, TopK.Smallest(values, 25));
        Assert.Equal(3, TopK.Largest([1f, 2f, 3f], 10).Length);
    }
}
