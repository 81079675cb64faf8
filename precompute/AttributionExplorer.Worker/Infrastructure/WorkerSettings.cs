using AttributionExplorer.Core.Options;
using Microsoft.Extensions.Configuration;

namespace AttributionExplorer.Worker.Infrastructure;

/// <summary>Loads the shared appsettings.json (from AE_HOME or the current directory) plus AE_-prefixed environment overrides.</summary>
public static class WorkerSettings
{
    public static AppOptions Load(string? configPath = null)
    {
        // AddJsonFile reads a relative path against the program's folder, not the directory the user typed it in.
        string path = Path.GetFullPath(configPath ?? PathResolver.Resolve("appsettings.json"));
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"appsettings.json not found at {path}. Run from the repository root or set {PathResolver.HomeVariable}.", path);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path, optional: false)
            .AddEnvironmentVariables("AE_")
            .Build();
        var options = AppOptions.CreateForBinding();
        configuration.GetSection(AppOptions.Section).Bind(options);
        return options.WithDefaultsForEmptyArrays().Validated(path);
    }
}
