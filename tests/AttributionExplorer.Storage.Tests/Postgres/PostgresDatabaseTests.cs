using AttributionExplorer.Storage.Postgres;
using AttributionExplorer.Storage.Postgres.Repositories;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Tests.Shared;
using Dapper;

namespace AttributionExplorer.Storage.Tests.Postgres;

public sealed class PostgresDatabaseTests
{
    [SkippableFact]
    public void WorkersStartingTogetherMigrateAnEmptyDatabaseOnceAndRerunningIsANoOp()
    {
        using var empty = PostgresCluster.Require().CreateDatabase(migrated: false);
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(empty.ConnectionString, Path.GetTempPath())).ToArray();
        try
        {
            Assert.Equal(0, databases[0].SchemaVersion);
            Parallel.ForEach(databases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, d => d.Migrate());
            int scripts = PostgresDatabase.EmbeddedMigrations().Count;
            Assert.Equal(scripts, databases[0].SchemaVersion);
            databases[1].Migrate();
            using var c = databases[0].Open();
            Assert.Equal(Enumerable.Range(1, scripts), c.Query<int>("SELECT version FROM schema_version ORDER BY version"));
            Assert.Equal(3, c.ExecuteScalar<int>("SELECT COUNT(*) FROM roles"));
        }
        finally
        {
            foreach (var d in databases) d.Dispose();
        }
    }

    [SkippableFact]
    public void UpgradesWithoutLosingDataAndAFailingScriptLeavesNothingBehind()
    {
        using var empty = PostgresCluster.Require().CreateDatabase(migrated: false);
        using var database = new PostgresDatabase(empty.ConnectionString, Path.GetTempPath());
        var v1 = PostgresDatabase.EmbeddedMigrations();
        database.Migrate(v1);
        new DatasetRepository(database).Import(TempDatabase.SampleImport());
        database.Migrate([.. v1, "ALTER TABLE datasets ADD COLUMN note text"]);
        Assert.Equal(v1.Count + 1, database.SchemaVersion);
        Assert.NotNull(new DatasetRepository(database).FindByName("sample"));

        Assert.ThrowsAny<Npgsql.PostgresException>(() => database.Migrate([.. v1, "ALTER TABLE datasets ADD COLUMN note text", "ALTER TABLE datasets ADD COLUMN other text", "SELECT nothing FROM nowhere"]));
        Assert.Equal(v1.Count + 1, database.SchemaVersion);
        using var c = database.Open();
        Assert.Equal(0, c.ExecuteScalar<int>("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'datasets' AND column_name = 'other'"));
    }

    [SkippableFact]
    public void RefusesADatabaseFromANewerVersion()
    {
        using var db = PostgresCluster.Require().CreateDatabase();
        using var database = new PostgresDatabase(db.ConnectionString, Path.GetTempPath());
        using (var c = database.Open()) c.Execute("INSERT INTO schema_version (version, applied_utc) VALUES (99, '')");
        var error = Assert.Throws<InvalidOperationException>(() => database.Migrate());
        Assert.Contains("99", error.Message);
        Assert.Contains(db.Name, error.Message);
    }

    [Fact]
    public void ABadConnectionStringNamesTheSettingAndNeverItsPassword()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresDatabase("Host=db;Password=s3cret;Colour=blue", Path.GetTempPath()));
        Assert.Contains("AttributionExplorer:Storage:ConnectionString", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        using var ok = new PostgresDatabase("Host=db.example;Port=5433;Database=ae;Username=ae;Password=s3cret", Path.GetTempPath());
        Assert.Equal("PostgreSQL database 'ae' on db.example:5433", ok.Location);
    }
}
