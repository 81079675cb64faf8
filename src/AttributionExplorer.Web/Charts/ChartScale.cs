using System.Globalization;

namespace AttributionExplorer.Web.Charts;

/// <summary>Maps data values linearly to SVG pixels inside a plot area. <see cref="PixelStart"/> is where
/// <see cref="Min"/> lands; for a y axis pass the bottom edge as the start (SVG's y grows downwards). Values outside
/// [Min, Max] are clamped to the area, so an error bar or an outlier never draws outside it.</summary>
public sealed record ChartScale(double Min, double Max, double PixelStart, double PixelEnd)
{
    public double this[double value] => Map(value);

    public double Map(double value)
    {
        if (double.IsNaN(value)) return PixelStart;
        if (Max == Min) return (PixelStart + PixelEnd) / 2;
        double t = Math.Clamp((value - Min) / (Max - Min), 0, 1);
        return PixelStart + t * (PixelEnd - PixelStart);
    }

    /// <summary>The pixel span of <c>centre ± error</c>, clamped to the plot area: (pixel of centre − error, pixel of centre + error).</summary>
    public (double Low, double High) ErrorBar(double centre, double error)
    {
        double e = double.IsFinite(error) ? Math.Abs(error) : 0;
        return (Map(centre - e), Map(centre + e));
    }

    /// <summary>A range covering the values with a 5% margin, widened to include <paramref name="include"/>;
    /// non-finite values are ignored, and a single value gets a small range around it.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values, params double[] include)
    {
        var all = values.Concat(include).Where(double.IsFinite).ToArray();
        if (all.Length == 0) return (0, 1);
        double min = all.Min(), max = all.Max();
        double pad = max > min ? (max - min) * 0.05 : Math.Max(Math.Abs(max) * 0.1, 0.01);
        return (min - pad, max + pad);
    }

    /// <summary>About <paramref name="count"/> round tick values (steps of 1, 2 or 5 × 10ⁿ) inside [min, max].</summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int count = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max <= min || count < 1) return [min];
        double raw = (max - min) / count;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (long k = (long)Math.Ceiling(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
            ticks.Add(Math.Round(k * step, 12)); // 3 × 0.2 is 0.6000000000000001 in floating point
        return ticks;
    }

    /// <summary>An SVG coordinate: invariant culture, at most two decimals.</summary>
    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
