using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage;

/// <summary>The SQLite file: a new connection per unit of work, WAL journal, schema migrations keyed on PRAGMA user_version.
/// File paths are stored relative to <see cref="DataRoot"/> (<see cref="DataPaths"/>), so the data folder can move.</summary>
public sealed class SqliteDatabase : ISqlDatabase
{
    private readonly string connectionString;

    /// <param name="dataRoot">The folder stored paths are relative to (default: the database's folder).</param>
    public SqliteDatabase(string path, string? dataRoot = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Paths = new DataPaths(dataRoot ?? System.IO.Path.GetDirectoryName(Path)!);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
        DapperSetup.EnsureConfigured();
    }

    public string Path { get; }
    public DataPaths Paths { get; }
    public SqlDialect Dialect => SqliteDialect.Instance;
    string ISqlDatabase.Location => Path;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    DbConnection ISqlDatabase.Open() => Open();

    public int SchemaVersion
    {
        get
        {
            using var connection = Open();
            return ReadVersion(connection);
        }
    }

    public void Migrate()
    {
        Migrate(EmbeddedMigrations());
        RelativizeStoredPaths();
    }

    private static readonly (string Table, string Column)[] PathColumns =
        [("datasets", "image_root"), ("checkpoints", "path"), ("trak_scoring_matrices", "path"), ("run_artifacts", "path"), ("embedding_sets", "source"), ("score_shards", "path")];

    /// <summary>Databases written before paths were stored relative hold absolute ones: rewrite those under the data root.</summary>
    private void RelativizeStoredPaths()
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        foreach (var (table, column) in PathColumns)
        {
            var absolute = new List<(long RowId, string Value)>();
            using (var read = connection.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = $"SELECT rowid, {column} FROM {table} WHERE {column} LIKE '/%'";
                using var reader = read.ExecuteReader();
                while (reader.Read()) absolute.Add((reader.GetInt64(0), reader.GetString(1)));
            }
            foreach (var (rowId, value) in absolute)
            {
                string stored = Paths.ToStored(value);
                if (stored == value) continue;
                using var update = connection.CreateCommand();
                update.Transaction = tx;
                update.CommandText = $"UPDATE {table} SET {column} = $v WHERE rowid = $r";
                update.Parameters.AddWithValue("$v", stored);
                update.Parameters.AddWithValue("$r", rowId);
                update.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }

    /// <summary>Applies each script whose 1-based position exceeds user_version, each in its own transaction. Foreign keys
    /// are off while a script runs (SQLite's table-rebuild procedure) and checked before it commits.</summary>
    internal void Migrate(IReadOnlyList<string> scripts)
    {
        using var connection = Open();
        using (var off = connection.CreateCommand())
        {
            off.CommandText = "PRAGMA foreign_keys = OFF;";
            off.ExecuteNonQuery();
        }
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
            command.CommandText = "PRAGMA foreign_key_check;";
            using (var reader = command.ExecuteReader())
                if (reader.Read())
                    throw new InvalidOperationException($"{Path}: migration {v + 1} left a broken reference in table {reader.GetString(0)}; nothing of it was applied");
            tx.Commit();
        }
    }

    /// <summary>The schema version this program migrates to (a restore refuses a newer backup).</summary>
    public static int LatestSchemaVersion => EmbeddedMigrations().Count;

    internal static IReadOnlyList<string> EmbeddedMigrations() => MigrationScripts.Of(Assembly.GetExecutingAssembly());

    private static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar());
    }
}
