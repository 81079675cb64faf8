using System.Globalization;
using AttributionExplorer.Web.Rendering;
using CsCheck;

namespace AttributionExplorer.Web.Tests.Rendering;

/// <summary>Scores shown together share one factor of a power of 1000 (named once, in the header) and fixed decimals;
/// no cell is ever in scientific notation.</summary>
public class ScoreScaleTests
{
    [Theory]
    [InlineData(new[] { 3.2e-5, -1.1e-5 }, -6, 1, "score (×10⁻⁶)")]
    [InlineData(new[] { 0.85, 0.1 }, 0, 3, "score")]
    [InlineData(new[] { 4.1e-4 }, -3, 3, "score (×10⁻³)")]
    [InlineData(new[] { -2.0, 1.0 }, 0, 2, "score")]
    [InlineData(new[] { 0.05 }, -3, 1, "score (×10⁻³)")]
    [InlineData(new[] { 12345.0 }, 3, 1, "score (×10³)")]
    [InlineData(new[] { 0.0, double.NaN }, 0, 3, "score")]
    public void TheFactorPutsTheLargestMagnitudeBetweenATenthAndAHundred(double[] values, int exponent, int decimals, string header)
    {
        var scale = ScoreScale.For(values);
        Assert.Equal((exponent, decimals), (scale.Exponent, scale.Decimals));
        Assert.Equal(header, scale.Header("score"));
    }

    [Fact]
    public void ValuesAreSignedWithATrueMinusAndFixedDecimals()
    {
        var micro = new ScoreScale(-6, 1);
        Assert.Equal("\u221232.0", micro.Format(-3.2e-5));
        Assert.Equal("+5.0", micro.Format(5e-6));
        Assert.Equal("0.0", micro.Format(-1e-9));
        Assert.Equal("\u221232.0 ×10⁻⁶", ScoreFormat.Format(-3.2e-5f));
        Assert.Equal("+0.123", ScoreFormat.Format(0.123f));
        Assert.Equal("n/a", micro.Format(double.NaN));
    }

    [Fact]
    public void ARangeTypedOnTheScaleReadsBackInTheScoresUnits()
    {
        var micro = new ScoreScale(-6, 1);
        Assert.Equal(-2.5e-6, micro.Parse("\u22122.5")!.Value, 15);
        Assert.Equal(3e-6, micro.Parse(" 3 ")!.Value, 15);
        Assert.Equal(1.5e-6, micro.Parse("1,5")!.Value, 15);
        Assert.Null(micro.Parse("abc"));
        Assert.Null(micro.Parse(""));
        Assert.Null(micro.Parse("1e400"));
        Assert.Equal("-2.5", micro.ToInput(-2.5e-6));
    }

    [Fact]
    public void NoMagnitudeEndsInScientificNotationAndEveryCellOfAScaleHasItsDecimals()
    {
        Gen.Double[-1e12, 1e12].Array[1, 20].Select(v => v.Select(x => x * Math.Pow(10, -(Math.Abs(x) % 17))).ToArray())
            .Sample(values =>
            {
                var scale = ScoreScale.For(values);
                Assert.Equal(0, scale.Exponent % 3);
                foreach (double v in values)
                {
                    string cell = scale.Format(v);
                    Assert.DoesNotContain("E", cell.ToUpperInvariant());
                    Assert.Equal(scale.Decimals, cell.Length - cell.IndexOf('.') - 1);
                    double back = double.Parse(cell.Replace("\u2212", "-"), CultureInfo.InvariantCulture) * Math.Pow(10, scale.Exponent);
                    Assert.True(Math.Abs(back - v) <= 0.5 * Math.Pow(10, scale.Exponent - scale.Decimals) * 1.0001, $"{v} shown as {cell} on 10^{scale.Exponent}");
                }
                double peak = values.Max(Math.Abs);
                if (peak > 0) Assert.InRange(peak / Math.Pow(10, scale.Exponent), 0.1 * 0.999999, 100);
            });
    }
}
