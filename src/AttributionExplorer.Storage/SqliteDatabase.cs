using System.Reflection;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage;

/// <summary>The SQLite file: a new connection per unit of work, WAL journal, schema migrations keyed on PRAGMA user_version.</summary>
public sealed class SqliteDatabase
{
    private readonly string connectionString;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
        DapperSetup.EnsureConfigured();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public int SchemaVersion
    {
        get
        {
            using var connection = Open();
            return ReadVersion(connection);
        }
    }

    public void Migrate() => Migrate(EmbeddedMigrations());

    /// <summary>Applies each script whose 1-based position exceeds user_version, each in its own transaction.</summary>
    internal void Migrate(IReadOnlyList<string> scripts)
    {
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        int version = ReadVersion(connection);
        if (version > scripts.Count)
            throw new InvalidOperationException(
                $"{Path} has schema version {version}, newer than this program knows ({scripts.Count}); update AttributionExplorer.");
        for (int v = version; v < scripts.Count; v++)
        {
            using var tx = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = scripts[v] + $";\nPRAGMA user_version = {v + 1};";
            command.ExecuteNonQuery();
            tx.Commit();
        }
    }

    internal static IReadOnlyList<string> EmbeddedMigrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.") && n.EndsWith(".sql"))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            })
            .ToArray();
    }

    private static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar());
    }
}
