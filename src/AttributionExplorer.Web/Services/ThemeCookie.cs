namespace AttributionExplorer.Web.Services;

/// <summary>The light/dark choice is kept in a cookie (set by wwwroot/app.js when the user switches), so the server
/// prerenders the next visit in the chosen theme: no flash of the other one.</summary>
public static class ThemeCookie
{
    public const string Name = "ae-theme";
    public const string DarkValue = "dark";
    /// <summary>Name of the cascading value Routes gives the layout.</summary>
    public const string CascadeName = "SavedDarkMode";

    public static bool IsDark(HttpContext? http) => http?.Request.Cookies[Name] == DarkValue;
}
