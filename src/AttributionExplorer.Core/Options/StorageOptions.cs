namespace AttributionExplorer.Core.Options;

/// <summary>Which database holds the data (the "Storage" section): the SQLite file at DatabasePath (one machine), or a
/// PostgreSQL database shared by the web app and workers on several machines (README, "Running on a cluster").</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = Sqlite;
    /// <summary>The PostgreSQL connection string (Npgsql form: Host=…;Port=…;Database=…;Username=…;Password=…); best
    /// given by environment (AttributionExplorer__Storage__ConnectionString) so no password sits in appsettings.json.</summary>
    public string ConnectionString { get; set; } = "";

    public IEnumerable<string> Problems()
    {
        string key = $"{AppOptions.Section}:Storage";
        if (Provider is not (Sqlite or Postgres))
            yield return $"{key}:Provider = {Provider}: must be {Sqlite} or {Postgres}";
        else if (Provider == Postgres && string.IsNullOrWhiteSpace(ConnectionString))
            // The value itself is never printed: it may hold a password.
            yield return $"{key}:ConnectionString = '': must name the PostgreSQL database when {key}:Provider = {Postgres} " +
                         "(e.g. Host=db;Database=attribution;Username=ae; the environment variable AttributionExplorer__Storage__ConnectionString sets it)";
    }
}
