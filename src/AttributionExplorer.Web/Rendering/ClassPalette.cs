using SkiaSharp;

namespace AttributionExplorer.Web.Rendering;

/// <summary>Fixed, distinguishable colours per model index (0 = background, never drawn). Colour is never the only
/// cue: the legend and tiles also name the classes.</summary>
public static class ClassPalette
{
    private static readonly SKColor[] Colors =
    [
        new(0, 0, 0), new(230, 25, 75), new(60, 180, 75), new(255, 225, 25), new(0, 130, 200), new(245, 130, 48),
        new(145, 30, 180), new(70, 240, 240), new(240, 50, 230), new(210, 245, 60), new(250, 190, 212), new(0, 128, 128),
        new(220, 190, 255), new(170, 110, 40), new(255, 250, 200), new(128, 0, 0), new(170, 255, 195), new(128, 128, 0),
    ];

    public static SKColor For(int modelIndex) => modelIndex <= 0 ? SKColors.Transparent : Colors[1 + (modelIndex - 1) % (Colors.Length - 1)];

    public static string Css(int modelIndex)
    {
        var c = For(modelIndex);
        return $"#{c.Red:x2}{c.Green:x2}{c.Blue:x2}";
    }
}
