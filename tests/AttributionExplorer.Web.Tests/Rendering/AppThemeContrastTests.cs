using AttributionExplorer.Web.Rendering;
using MudBlazor;
using MudBlazor.Utilities;

namespace AttributionExplorer.Web.Tests.Rendering;

/// <summary>WCAG 2.x contrast of every text colour of the theme against every background it is drawn on, light and
/// dark: at least 4.5:1 (AA for normal text). Colours with transparency are composited over their background first.</summary>
public class AppThemeContrastTests
{
    private const double Minimum = 4.5;

    public static TheoryData<bool> Themes => new() { false, true };

    private static Palette PaletteOf(bool dark) => dark ? AppTheme.Theme.PaletteDark : AppTheme.Theme.PaletteLight;

    /// <summary>Text colour, background, what it is.</summary>
    private static IEnumerable<(MudColor Text, MudColor Background, string What)> Pairs(bool dark)
    {
        var p = PaletteOf(dark);
        var app = AppTheme.Colors(dark);
        MudColor[] pages = [p.Background, p.Surface];
        var texts = new (MudColor, string)[]
        {
            (p.TextPrimary, "TextPrimary"), (p.TextSecondary, "TextSecondary"), (p.Primary, "Primary (links, text buttons)"),
            (p.Secondary, "Secondary"), (p.Info, "Info"), (p.Success, "Success"), (p.Warning, "Warning"), (p.Error, "Error"),
            (app.InfluencePositive, "influence positive"), (app.InfluenceNegative, "influence negative"), (app.Good, "good"),
            (app.Caution, "caution"), (app.Bad, "bad"), (app.Muted, "muted"), (app.Link, "link"),
        };
        foreach (var (text, what) in texts)
            foreach (var background in pages)
                yield return (text, background, $"{what} on {background.Value}");
        yield return (p.AppbarText, p.AppbarBackground, "AppbarText on AppbarBackground");
        yield return (p.DrawerText, p.DrawerBackground, "DrawerText on DrawerBackground");
        yield return (p.PrimaryContrastText, p.Primary, "PrimaryContrastText on Primary (filled buttons)");
        yield return (p.SecondaryContrastText, p.Secondary, "SecondaryContrastText on Secondary");
        yield return (p.InfoContrastText, p.Info, "InfoContrastText on Info");
        yield return (p.SuccessContrastText, p.Success, "SuccessContrastText on Success");
        yield return (p.WarningContrastText, p.Warning, "WarningContrastText on Warning");
        yield return (p.ErrorContrastText, p.Error, "ErrorContrastText on Error");
    }

    [Theory]
    [MemberData(nameof(Themes))]
    public void EveryTextColourHasAtLeastFourAndAHalfToOneAgainstItsBackground(bool dark)
    {
        var failures = Pairs(dark).Select(x => (x.What, Ratio: Contrast(x.Text, x.Background)))
            .Where(x => x.Ratio < Minimum).Select(x => $"{x.What}: {x.Ratio:F2}:1").ToList();
        Assert.True(failures.Count == 0, $"{(dark ? "dark" : "light")} theme below {Minimum}:1 — {string.Join("; ", failures)}");
    }

    [Fact]
    public void TheContrastFormulaMatchesWcagReferenceValues()
    {
        Assert.Equal(21.0, Contrast(new MudColor("#000000"), new MudColor("#FFFFFF")), 2);
        Assert.Equal(1.0, Contrast(new MudColor("#777777"), new MudColor("#777777")), 6);
        Assert.Equal(4.48, Contrast(new MudColor("#777777"), new MudColor("#FFFFFF")), 2);
        // Half-transparent white on black composites to #808080.
        Assert.Equal(Contrast(new MudColor("#808080"), new MudColor("#000000")), Contrast(new MudColor("rgba(255,255,255,0.5)"), new MudColor("#000000")), 1);
    }

    [Fact]
    public void InfluenceColoursAreABlueAndAnOrangeNeverRedOrGreen()
    {
        foreach (var colors in new[] { AppTheme.Light, AppTheme.Dark })
        {
            var positive = new MudColor(colors.InfluencePositive);
            var negative = new MudColor(colors.InfluenceNegative);
            Assert.InRange(positive.H, 190, 215);
            Assert.InRange(negative.H, 20, 45);
        }
        Assert.Contains("--ae-influence-positive:#0072B2", AppTheme.CssVariables(false));
        Assert.Contains("--ae-influence-negative:#E69F00", AppTheme.CssVariables(true));
        Assert.Contains("color-scheme:dark", AppTheme.CssVariables(true));
    }

    private static double Contrast(MudColor text, MudColor background)
    {
        double alpha = text.APercentage;
        double Channel(byte t, byte b) => alpha * t + (1 - alpha) * b;
        double l1 = Luminance(Channel(text.R, background.R), Channel(text.G, background.G), Channel(text.B, background.B));
        double l2 = Luminance(background.R, background.G, background.B);
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    private static double Luminance(double r, double g, double b)
    {
        static double Linear(double c)
        {
            c /= 255;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
    }
}
