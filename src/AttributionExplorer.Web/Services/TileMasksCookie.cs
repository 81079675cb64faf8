namespace AttributionExplorer.Web.Services;

/// <summary>The switch for the label masks on tiles is kept in a cookie (set by wwwroot/app.js when the user switches),
/// so the server prerenders the page with the masks already hidden or shown: no script has to run before the first
/// paint, and none blocks the parser.</summary>
public static class TileMasksCookie
{
    public const string Name = "ae-tile-masks";
    public const string HiddenValue = "off";
    /// <summary>Name of the cascading value Routes gives the tile overlay bars.</summary>
    public const string CascadeName = "SavedTileMasksHidden";

    public static bool AreHidden(HttpContext? http) => http?.Request.Cookies[Name] == HiddenValue;

    /// <summary>The value of the html element's data-tile-masks attribute, which app.css reads.</summary>
    public static string Attribute(bool hidden) => hidden ? "off" : "on";
}
