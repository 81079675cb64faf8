using System.Globalization;

namespace AttributionExplorer.Web.Rendering;

public static class ScoreFormat
{
    /// <summary>Signed, three significant digits, scientific: "+1.23e-03".</summary>
    public static string Format(float score) => (score >= 0 ? "+" : "") + score.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
