using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage.Postgres;

namespace AttributionExplorer.Storage.Providers;

/// <summary>Opens the configured storage (AttributionExplorer:Storage:Provider): the SQLite file at DatabasePath, or the
/// PostgreSQL database of Storage:ConnectionString; migrated, every port ready. Stored file paths are relative to DataRoot.</summary>
public static class StorageProvider
{
    public static StorageBackend Open(AppOptions options)
    {
        if (options.Storage.Problems().FirstOrDefault() is { } problem) throw new ArgumentException(problem);
        string dataRoot = PathResolver.Resolve(options.DataRoot);
        return options.Storage.Provider switch
        {
            StorageOptions.Postgres => PostgresStorage.Open(options.Storage.ConnectionString, dataRoot),
            _ => SqliteStorage.Open(PathResolver.Resolve(options.DatabasePath), dataRoot),
        };
    }

    /// <summary>For the SQLite-only commands (backup): the error to show when another provider is configured, else null.</summary>
    public static string? SqliteOnly(AppOptions options, string what) => options.Storage.Provider == StorageOptions.Sqlite ? null :
        $"{what} works on the SQLite file only, and {AppOptions.Section}:Storage:Provider = {options.Storage.Provider}";
}
