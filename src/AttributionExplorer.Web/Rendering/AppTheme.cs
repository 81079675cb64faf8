using MudBlazor;

namespace AttributionExplorer.Web.Rendering;

/// <summary>The app's colours in one place, light and dark: the MudBlazor palette (text, links, surfaces and the status
/// colours, each chosen for at least 4.5:1 contrast against the backgrounds it is drawn on; a test measures them) and
/// the app's own colours, published as CSS custom properties (<see cref="CssVariables"/>) that app.css and every chart
/// use. Influence is a diverging, colour-blind-safe pair (Okabe–Ito blue and vermillion/orange): blue = positive (the
/// training image raises the target's output), orange-brown = negative; never red or green for either.</summary>
public static class AppTheme
{
    /// <summary>Colours of the app's own meanings, as CSS colours.</summary>
    /// <param name="InfluencePositive">Text and marks of positive influence.</param>
    /// <param name="InfluenceNegative">Text and marks of negative influence.</param>
    /// <param name="Good">A state that is fine (stable ranking, a flag saying "not an error").</param>
    /// <param name="Caution">A state to look at (moderate reliability, an open flag).</param>
    /// <param name="Bad">A problem (noisy ranking, a confirmed error, a failed step).</param>
    /// <param name="Muted">Text that matters less (no figure, not measured).</param>
    /// <param name="Link">Plain links.</param>
    public sealed record AppColors(string InfluencePositive, string InfluenceNegative, string Good, string Caution, string Bad, string Muted, string Link);

    public static readonly AppColors Light = new("#0072B2", "#A64B00", "#2E7D32", "#9A5B00", "#C62828", "#5C5C66", "#4B3FD1");
    public static readonly AppColors Dark = new("#56B4E9", "#E69F00", "#81C784", "#FFB74D", "#FF8A80", "#B0B0BA", "#A8A2FF");

    public static AppColors Colors(bool dark) => dark ? Dark : Light;

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Background = "#FFFFFF", Surface = "#FFFFFF", DrawerBackground = "#FFFFFF",
            TextPrimary = "#1F1F24", TextSecondary = "#55555F", DrawerText = "#1F1F24",
            AppbarBackground = "#4B3FD1", AppbarText = "#FFFFFF",
            Primary = "#4B3FD1", PrimaryContrastText = "#FFFFFF",
            Secondary = "#C2185B", SecondaryContrastText = "#FFFFFF",
            Info = "#0072B2", InfoContrastText = "#FFFFFF",
            Success = "#2E7D32", SuccessContrastText = "#FFFFFF",
            Warning = "#9A5B00", WarningContrastText = "#FFFFFF",
            Error = "#C62828", ErrorContrastText = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Background = "#25252C", Surface = "#2E2E36", DrawerBackground = "#2E2E36",
            TextPrimary = "#EDEDF2", TextSecondary = "#BDBDC7", DrawerText = "#EDEDF2",
            AppbarBackground = "#1B1B21", AppbarText = "#EDEDF2",
            Primary = "#A8A2FF", PrimaryContrastText = "#1A1A22",
            Secondary = "#FF80AB", SecondaryContrastText = "#1A1A22",
            Info = "#56B4E9", InfoContrastText = "#1A1A22",
            Success = "#81C784", SuccessContrastText = "#1A1A22",
            Warning = "#FFB74D", WarningContrastText = "#1A1A22",
            Error = "#FF8A80", ErrorContrastText = "#1A1A22",
        },
    };

    /// <summary>The app's colours as custom properties on :root, for the theme in use.</summary>
    public static string CssVariables(bool dark)
    {
        var c = Colors(dark);
        return $":root{{--ae-influence-positive:{c.InfluencePositive};--ae-influence-negative:{c.InfluenceNegative};" +
               $"--ae-good:{c.Good};--ae-caution:{c.Caution};--ae-bad:{c.Bad};--ae-muted:{c.Muted};--ae-link:{c.Link};color-scheme:{(dark ? "dark" : "light")}}}";
    }
}
