namespace AttributionExplorer.Core.Options;

/// <summary>Resolves relative paths from appsettings.json against AE_HOME, or the current directory when unset,
/// so the web app and the worker started from the repository root agree on where data lives.</summary>
public static class PathResolver
{
    public const string HomeVariable = "AE_HOME";

    public static string BaseDirectory =>
        Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home ? home : Directory.GetCurrentDirectory();

    public static string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);
}
