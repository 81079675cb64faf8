using System.Data.Common;
using System.Reflection;
using Npgsql;

namespace AttributionExplorer.Storage.Postgres;

/// <summary>A PostgreSQL database shared by the web app and any number of workers on any machines: a pooled data
/// source, a connection per unit of work, schema migrations recorded in schema_version. File paths are stored relative
/// to <see cref="Paths"/>' root, which every machine mounts at its own place.</summary>
public sealed class PostgresDatabase : ISqlDatabase, IDisposable
{
    /// <summary>Taken for the whole migration, so app and workers starting together apply each script once.</summary>
    private const long MigrationLock = 0x4145_4D49_4752;
    private readonly NpgsqlDataSource dataSource;

    public PostgresDatabase(string connectionString, string dataRoot)
    {
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"AttributionExplorer:Storage:ConnectionString is not a PostgreSQL connection string: {e.Message}", e);
        }
        Location = $"PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host ?? "localhost"}:{builder.Port}";
        Paths = new DataPaths(dataRoot);
        dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        DapperSetup.EnsureConfigured();
    }

    /// <summary>Where the data lives, for messages: host, port and database, never the password.</summary>
    public string Location { get; }
    public DataPaths Paths { get; }
    public SqlDialect Dialect => PostgresDialect.Instance;

    public NpgsqlConnection Open() => dataSource.OpenConnection();
    DbConnection ISqlDatabase.Open() => Open();

    public int SchemaVersion
    {
        get
        {
            using var connection = Open();
            return ReadVersion(connection, null);
        }
    }

    public void Migrate() => Migrate(EmbeddedMigrations());

    /// <summary>Applies every script numbered above the recorded version in one transaction (PostgreSQL's DDL is
    /// transactional: a failing script leaves nothing behind) under an advisory lock.</summary>
    internal void Migrate(IReadOnlyList<string> scripts)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_utc text NOT NULL)");
        int version = ReadVersion(connection, tx);
        if (version > scripts.Count)
            throw new InvalidOperationException(
                $"{Location} has schema version {version}, newer than this program knows ({scripts.Count}); update AttributionExplorer.");
        for (int v = version; v < scripts.Count; v++)
        {
            Execute(connection, tx, scripts[v]);
            using var record = new NpgsqlCommand("INSERT INTO schema_version (version, applied_utc) VALUES (@v, @t)", connection, tx);
            record.Parameters.AddWithValue("v", v + 1);
            record.Parameters.AddWithValue("t", DapperSetup.ToText(DateTime.UtcNow));
            record.ExecuteNonQuery();
        }
        tx.Commit();
    }

    internal static IReadOnlyList<string> EmbeddedMigrations() => MigrationScripts.Of(Assembly.GetExecutingAssembly());

    private static int ReadVersion(NpgsqlConnection connection, NpgsqlTransaction? tx)
    {
        using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection, tx);
        if (!(bool)exists.ExecuteScalar()!) return 0;
        using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection, tx);
        return Convert.ToInt32(command.ExecuteScalar());
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.ExecuteNonQuery();
    }

    public void Dispose() => dataSource.Dispose();
}
