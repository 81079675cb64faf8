using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Worker.Commands;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Commands;

public sealed class DatabaseBackupTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-backup").FullName;
    private readonly SqliteDatabase database;

    public DatabaseBackupTests()
    {
        database = new SqliteDatabase(Path.Combine(dir, "attribution.db"));
        database.Migrate();
        var datasets = new DatasetRepository(database);
        var images = Enumerable.Range(0, 200).Select(i => new ImportedImage(i + 1, Splits.Train, $"{i}.png", 8, 8, [])).ToList();
        datasets.Import(new DatasetImport("d", "/images", "test", [new Category(1, "cat", null, 1)], images, []));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private string Copy => Path.Combine(dir, "copy.db");

    [Fact]
    public void TheCopyHoldsTheDataAndIsAStandaloneFile()
    {
        // An open writer with uncheckpointed WAL pages: the backup must include them.
        using var writer = database.Open();
        using (var insert = writer.CreateCommand())
        {
            insert.CommandText = "UPDATE datasets SET name = 'renamed'";
            insert.ExecuteNonQuery();
        }
        var result = DatabaseBackup.Run(database.Path, Copy, overwrite: false);
        Assert.Equal(Copy, result.Path);
        Assert.Equal(database.SchemaVersion, result.SchemaVersion);
        var restored = new DatasetRepository(new SqliteDatabase(Copy));
        var dataset = Assert.Single(restored.List());
        Assert.Equal("renamed", dataset.Name);
        Assert.Equal(200, restored.CountImages(dataset.Id, Splits.Train));
        Assert.False(File.Exists(Copy + "-wal"));
        Assert.Empty(Directory.GetFiles(dir, "*.partial-*"));
    }

    [Fact]
    public void AnExistingFileIsKeptUnlessForced()
    {
        File.WriteAllText(Copy, "keep me");
        var error = Assert.Throws<DatabaseBackupException>(() => DatabaseBackup.Run(database.Path, Copy, overwrite: false));
        Assert.Equal($"{Copy} exists; pass --force to replace it", error.Message);
        Assert.Equal("keep me", File.ReadAllText(Copy));
        DatabaseBackup.Run(database.Path, Copy, overwrite: true);
        Assert.NotEqual("keep me", File.ReadAllText(Copy)[..7]);
    }

    [Fact]
    public void AFullDiskIsNamedAndLeavesNothingBehind()
    {
        File.WriteAllText(Copy, "previous backup");
        var error = Assert.Throws<DatabaseBackupException>(() =>
            DatabaseBackup.Run(database.Path, Copy, overwrite: true, copy => Execute(copy, "PRAGMA max_page_count = 3")));
        Assert.StartsWith($"backup of {database.Path} to {Copy} failed: the disk holding {Copy} is full", error.Message);
        Assert.Equal("previous backup", File.ReadAllText(Copy));
        Assert.Empty(Directory.GetFiles(dir, "*.partial-*"));
    }

    [Theory]
    [InlineData("missing.db", "copy.db", "does not exist (check AttributionExplorer:DatabasePath)")]
    [InlineData("attribution.db", "attribution.db", "--to names the database itself; give another file")]
    [InlineData("attribution.db", "no/such/folder/copy.db", "/no/such/folder does not exist")]
    public void BadArgumentsAreNamed(string source, string target, string expected)
    {
        var error = Assert.Throws<DatabaseBackupException>(() => DatabaseBackup.Run(Path.Combine(dir, source), Path.Combine(dir, target), false));
        Assert.EndsWith(expected, error.Message);
    }

    [Fact]
    public void ANonDatabaseSourceIsNamed()
    {
        string bogus = Path.Combine(dir, "notes.db");
        File.WriteAllText(bogus, new string('x', 4096));
        var error = Assert.Throws<DatabaseBackupException>(() => DatabaseBackup.Run(bogus, Copy, false));
        Assert.Contains($"{bogus} is not a readable SQLite database", error.Message);
        Assert.False(File.Exists(Copy));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
