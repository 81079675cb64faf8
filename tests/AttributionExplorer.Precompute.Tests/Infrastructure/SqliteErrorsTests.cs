using AttributionExplorer.Worker.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Infrastructure;

/// <summary>Real SQLite failures (not constructed exceptions) said in words.</summary>
public sealed class SqliteErrorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-sqlite-errors").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private SqliteException Failure(string path, SqliteOpenMode mode, params string[] sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return Assert.Throws<SqliteException>(() =>
        {
            foreach (string statement in sql)
            {
                using var command = connection.CreateCommand();
                command.CommandText = statement;
                command.ExecuteNonQuery();
            }
        });
    }

    private string Database()
    {
        string path = Path.Combine(dir, "a.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t(x BLOB)";
        command.ExecuteNonQuery();
        return path;
    }

    [Fact]
    public void AReadOnlyDatabaseSaysWhatToFix()
    {
        string path = Database();
        var e = Failure(path, SqliteOpenMode.ReadOnly, "INSERT INTO t VALUES (1)");
        Assert.Equal(8, e.SqliteErrorCode);
        Assert.StartsWith($"the database {path} is read-only", SqliteErrors.Describe(e, path));
        Assert.Contains("give the process write access to the file and its folder", SqliteErrors.Describe(e, path));
    }

    [Fact]
    public void AFullDatabaseSaysTheDiskIsFull()
    {
        string path = Database();
        var e = Failure(path, SqliteOpenMode.ReadWrite, "PRAGMA max_page_count = 2", "INSERT INTO t VALUES (zeroblob(100000))");
        Assert.Equal(13, e.SqliteErrorCode);
        Assert.Equal($"the disk holding {path} is full: free space on it (or move the data folder) and rerun; nothing partial was committed", SqliteErrors.Describe(e, path));
    }

    [Fact]
    public void ANonDatabaseFileSaysRestoreFromABackup()
    {
        string path = Path.Combine(dir, "b.db");
        File.WriteAllText(path, new string('x', 4096));
        var e = Failure(path, SqliteOpenMode.ReadWrite, "SELECT * FROM sqlite_master");
        Assert.Contains("is not a readable SQLite database", SqliteErrors.Describe(e, path));
    }
}
