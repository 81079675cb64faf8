using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Web.Charts;
using AttributionExplorer.Web.Services;

namespace AttributionExplorer.Web.Tests.Charts;

public class ChartScaleTests
{
    // A y axis: value 0 at the bottom edge (pixel 240), 1 at the top (pixel 10).
    private static readonly ChartScale Y = new(0, 1, 240, 10);

    [Theory]
    [InlineData(0, 240)]
    [InlineData(1, 10)]
    [InlineData(0.25, 182.5)]
    [InlineData(0.5, 125)]
    [InlineData(1.5, 10)]   // above the range: clamped to the top
    [InlineData(-3, 240)]   // below: clamped to the bottom
    public void MapsValuesLinearlyAndClampsToThePlotArea(double value, double pixel) =>
        Assert.Equal(pixel, Y[value], 9);

    [Fact]
    public void ErrorBarsAreClampedToThePlotArea()
    {
        var (low, high) = Y.ErrorBar(0.5, 0.1);
        Assert.Equal(148, low, 9);
        Assert.Equal(102, high, 9);
        // 0.9 ± 0.3 would reach 1.2: the upper end stops at the top edge, the lower end is still 0.6.
        (low, high) = Y.ErrorBar(0.9, 0.3);
        Assert.Equal(102, low, 9);
        Assert.Equal(10, high, 9);
        // 0.05 ± 0.2 would reach −0.15: the lower end stops at the bottom edge.
        (low, _) = Y.ErrorBar(0.05, 0.2);
        Assert.Equal(240, low, 9);
        // A missing error (NaN) draws no bar.
        (low, high) = Y.ErrorBar(0.5, double.NaN);
        Assert.Equal(low, high);
    }

    [Fact]
    public void ADegenerateRangeMapsToTheMiddle() => Assert.Equal(125, new ChartScale(3, 3, 240, 10)[3]);

    [Fact]
    public void RangeCoversTheValuesWithAMarginAndTheIncludedValues()
    {
        var (min, max) = ChartScale.Range([0.2, 0.6, double.NaN], 0);
        Assert.Equal(-0.03, min, 9);
        Assert.Equal(0.63, max, 9);
        Assert.Equal((0, 1), ChartScale.Range([]));
    }

    [Fact]
    public void TicksAreRoundValuesInsideTheRange()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], ChartScale.Ticks(0, 1, 5));
        Assert.Equal([0.45, 0.5, 0.55], ChartScale.Ticks(0.43, 0.57, 3));
    }

    [Fact]
    public void PolylineMapsEveryPoint()
    {
        var x = new ChartScale(0, 100, 40, 540);
        Assert.Equal("40,240 290,125 540,10", ChartGeometry.Polyline([(0, 0), (50, 0.5), (100, 1)], x, Y));
    }

    [Fact]
    public void PrecisionIsReadAtEveryStepOfTheShareInspected()
    {
        // 4 images: 25% is the first one, 50% the first two, …; 20% still needs one image (⌈0.8⌉ = 1).
        Assert.Equal([(25, 1.0), (50, 0.5), (75, 2 / 3.0), (100, 0.5)], ChartGeometry.PrecisionAtPercents([1, 0.5, 2 / 3.0, 0.5], 25));
        Assert.Equal((20, 1.0), ChartGeometry.PrecisionAtPercents([1, 0.5, 2 / 3.0, 0.5], 20)[0]);
        var large = Enumerable.Range(1, 10_000).Select(k => 1.0 / k).ToArray();
        var points = ChartGeometry.PrecisionAtPercents(large);
        Assert.Equal(20, points.Count);
        Assert.Equal((5, 1.0 / 500), points[0]);
        Assert.Equal((100, 1e-4), points[^1]);
        Assert.Empty(ChartGeometry.PrecisionAtPercents([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChartGeometry.PrecisionAtPercents([1], 0));
    }
}

public class EvaluationCatalogTests
{
    [Fact]
    public void ParametersAreFlattenedToKeyValuePairs()
    {
        var list = EvaluationCatalog.Parameters("""{"Seed":7,"Name":"demo","Seeds":[0,1],"Curation":{"Percents":[0,50],"Deep":{"On":true}},"Run":null,"Empty":{}}""");
        Assert.Equal(
        [
            new("Seed", "7"), new("Name", "demo"), new("Seeds", "[0, 1]"), new("Curation.Percents", "[0, 50]"),
            new("Curation.Deep.On", "true"), new("Run", "—"), new("Empty", "{}"),
        ], list);
        Assert.Empty(EvaluationCatalog.Parameters(""));
        Assert.Equal([new("value", "not json")], EvaluationCatalog.Parameters("not json"));
    }

    [Fact]
    public void CounterfactualCellsPivotToMethodRowsAndRemovedColumns()
    {
        var result = new CounterfactualResult(2, 1, "loss", new MeanWithError(1, 0, 2),
        [
            new("a", 10, new MeanWithError(0.2, 0.01, 2)), new("a", 5, new MeanWithError(0.1, 0.01, 2)), new("b", 5, new MeanWithError(0.3, 0.02, 2)),
        ]);
        var (removed, rows) = EvaluationCatalog.CounterfactualTable(result);
        Assert.Equal([5, 10], removed);
        Assert.Equal(["a", "b"], rows.Select(r => r.Method));
        Assert.Equal([0.1, 0.2], rows[0].Cells.Select(c => c!.Mean));
        Assert.Null(rows[1].Cells[1]);
        Assert.Equal("—", EvaluationCatalog.MeanSe(rows[1].Cells[1]));
    }

    [Theory]
    [InlineData(0.5, "0.500")]
    [InlineData(-0.05, "-0.050")]
    [InlineData(0.005, "0.005")]
    [InlineData(0.0004, "0.000400")]
    [InlineData(-3.21e-5, "-0.0000321")]
    [InlineData(0, "0.000")]
    [InlineData(double.NaN, "—")]
    public void NumbersHaveThreeDecimalsOrThreeSignificantDigitsWhenSmallNeverScientific(double value, string text) =>
        Assert.Equal(text, EvaluationCatalog.Number(value));

    [Fact]
    public void GainIsSigned() => Assert.Equal("+0.030 ± 0.004", EvaluationCatalog.SignedMeanSe(new MeanWithError(0.03, 0.004, 2)));
}
