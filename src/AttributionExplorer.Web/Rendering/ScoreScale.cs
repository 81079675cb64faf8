using System.Globalization;

namespace AttributionExplorer.Web.Rendering;

/// <summary>One fixed, readable scale for a set of scores shown together (a column, a queue, a chart axis): values are
/// divided by 10^<see cref="Exponent"/> (a multiple of 3, chosen so the largest magnitude reads between 0.1 and 100) and
/// written with the same number of decimals, so they line up and compare at a glance; the factor is stated once, in the
/// header (<see cref="Header"/>: "score (×10⁻⁶)"). Never scientific notation in a cell.</summary>
public sealed record ScoreScale(int Exponent, int Decimals)
{
    /// <summary>Values read as they are, three decimals (probabilities, cosines).</summary>
    public static readonly ScoreScale Plain = new(0, 3);

    /// <summary>The scale for these values (non-finite ones ignored; all zero or none: <see cref="Plain"/>).</summary>
    public static ScoreScale For(IEnumerable<double> values)
    {
        double peak = values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        if (peak == 0) return Plain;
        // Largest magnitude m: pick e (multiple of 3) with m / 10^e in [0.1, 100).
        int exponent = 3 * (int)Math.Floor((Math.Log10(peak) + 1) / 3);
        double scaled = peak / Math.Pow(10, exponent);
        if (scaled >= 100) { exponent += 3; scaled /= 1000; }
        else if (scaled < 0.1) { exponent -= 3; scaled *= 1000; }
        return new ScoreScale(exponent, scaled < 1 ? 3 : scaled < 10 ? 2 : 1);
    }

    public static ScoreScale For(IEnumerable<float> values) => For(values.Select(v => (double)v));

    /// <summary>"×10⁻⁶", or "" when values read as they are.</summary>
    public string Unit => Exponent == 0 ? "" : "×10" + Superscript(Exponent);

    /// <summary>"score (×10⁻⁶)", or the label alone when values read as they are.</summary>
    public string Header(string label) => Exponent == 0 ? label : $"{label} ({Unit})";

    /// <summary>The value on this scale, signed ("+3.21", "−0.45" with a true minus sign), fixed decimals.</summary>
    public string Format(double value)
    {
        if (!double.IsFinite(value)) return "n/a";
        double scaled = value / Math.Pow(10, Exponent);
        string digits = Math.Abs(scaled).ToString("F" + Decimals, CultureInfo.InvariantCulture);
        bool zero = digits.All(c => c is '0' or '.');
        return (zero ? "" : scaled < 0 ? "\u2212" : "+") + digits;
    }

    /// <summary>A lone value with its factor: "−3.20 ×10⁻⁵".</summary>
    public string FormatWithUnit(double value) => Exponent == 0 ? Format(value) : $"{Format(value)} {Unit}";

    /// <summary>Reads a value typed on this scale ("3.2" on ×10⁻⁶ → 3.2e-6); null when it is not a number.</summary>
    public double? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string normalized = text.Trim().Replace('\u2212', '-').Replace(',', '.');
        return double.TryParse(normalized, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v * Math.Pow(10, Exponent) : null;
    }

    /// <summary>A raw value as it is typed on this scale (the inverse of <see cref="Parse"/>), shortest round-trip digits.</summary>
    public string ToInput(double value) => Math.Round(value / Math.Pow(10, Exponent), 10).ToString("0.##########", CultureInfo.InvariantCulture);

    private static string Superscript(int exponent) =>
        string.Concat(exponent.ToString(CultureInfo.InvariantCulture).Select(c => c switch
        {
            '-' => '\u207B', '0' => '\u2070', '1' => '\u00B9', '2' => '\u00B2', '3' => '\u00B3',
            _ => (char)('\u2070' + (c - '0')),
        }));
}
