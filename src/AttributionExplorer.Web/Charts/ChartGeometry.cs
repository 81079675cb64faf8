namespace AttributionExplorer.Web.Charts;

/// <summary>Builds the coordinate strings the evaluation charts draw.</summary>
public static class ChartGeometry
{
    /// <summary>An SVG <c>points</c> attribute ("x,y x,y …") for the data points mapped through the scales.</summary>
    public static string Polyline(IEnumerable<(double X, double Y)> points, ChartScale x, ChartScale y) =>
        string.Join(" ", points.Select(p => $"{ChartScale.F(x[p.X])},{ChartScale.F(y[p.Y])}"));

    /// <summary>A precision curve (precision among the first k of n, k = 1…n) read at every <paramref name="step"/>
    /// percent of the n inspected (5%, 10%, …, 100%): the precision among the first ⌈p·n/100⌉. Evenly spaced, so a
    /// category axis (MudBlazor's line chart) places them right whatever n is.</summary>
    public static IReadOnlyList<(int Percent, double Precision)> PrecisionAtPercents(IReadOnlyList<double> curve, int step = 5)
    {
        if (step is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(step), step, "a step of 1 to 100 percent");
        int n = curve.Count;
        if (n == 0) return [];
        return Enumerable.Range(1, 100 / step).Select(i => i * step)
            .Select(p => (p, curve[Math.Clamp((int)Math.Ceiling(p * n / 100.0 - 1e-9), 1, n) - 1])).ToList();
    }
}
