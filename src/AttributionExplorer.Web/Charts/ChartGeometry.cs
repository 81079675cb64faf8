namespace AttributionExplorer.Web.Charts;

/// <summary>Builds the coordinate strings the evaluation charts draw.</summary>
public static class ChartGeometry
{
    /// <summary>An SVG <c>points</c> attribute ("x,y x,y …") for the data points mapped through the scales.</summary>
    public static string Polyline(IEnumerable<(double X, double Y)> points, ChartScale x, ChartScale y) =>
        string.Join(" ", points.Select(p => $"{ChartScale.F(x[p.X])},{ChartScale.F(y[p.Y])}"));

    /// <summary>The points of a precision curve (precision among the first k of n, k = 1…n) as
    /// (% of the n inspected, precision), thinned to at most <paramref name="maxPoints"/> evenly spaced points
    /// (the first and last are always kept) so a large training set does not make a huge SVG.</summary>
    public static IReadOnlyList<(double Percent, double Precision)> PrecisionCurvePoints(IReadOnlyList<double> curve, int maxPoints = 400)
    {
        int n = curve.Count;
        if (n == 0) return [];
        var indices = n <= maxPoints
            ? Enumerable.Range(0, n)
            : Enumerable.Range(0, maxPoints).Select(i => (int)Math.Round(i * (n - 1) / (double)(maxPoints - 1))).Distinct();
        return indices.Select(k => (100.0 * (k + 1) / n, curve[k])).ToList();
    }
}
