using Dapper;

namespace AttributionExplorer.Storage.Tests;

public class SqliteDatabaseTests
{
    [Fact]
    public void MigratesAnEmptyFileInWalModeAndRerunningIsANoOp()
    {
        using var db = new TempDatabase();
        int version = db.Database.SchemaVersion;
        Assert.Equal(SqliteDatabase.EmbeddedMigrations().Count, version);
        db.Database.Migrate();
        Assert.Equal(version, db.Database.SchemaVersion);
        using var c = db.Database.Open();
        Assert.Equal("wal", c.ExecuteScalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void UpgradesAnExistingFileWithoutLosingData()
    {
        using var db = new TempDatabase(migrate: false);
        var v1 = SqliteDatabase.EmbeddedMigrations();
        db.Database.Migrate(v1);
        new Storage.Repositories.DatasetRepository(db.Database).Import(TempDatabase.SampleImport());
        db.Database.Migrate([.. v1, "ALTER TABLE datasets ADD COLUMN note TEXT"]);
        Assert.Equal(v1.Count + 1, db.Database.SchemaVersion);
        Assert.NotNull(new Storage.Repositories.DatasetRepository(db.Database).FindByName("sample"));
        using var c = db.Database.Open();
        Assert.Equal(0, c.ExecuteScalar<int>("SELECT COUNT(note) FROM datasets"));
    }

    [Fact]
    public void RefusesAFileFromANewerVersion()
    {
        using var db = new TempDatabase();
        using (var c = db.Database.Open()) c.Execute("PRAGMA user_version = 99");
        var error = Assert.Throws<InvalidOperationException>(() => db.Database.Migrate());
        Assert.Contains("99", error.Message);
    }
}
