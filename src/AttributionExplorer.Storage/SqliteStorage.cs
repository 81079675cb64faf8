using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage;

/// <summary>The SQLite adapters behind <see cref="StorageBackend"/>.</summary>
public static class SqliteStorage
{
    /// <summary>Opens (creating if needed) and migrates the file, then wires every port to it.</summary>
    public static StorageBackend Open(string databasePath, string? dataRoot = null)
    {
        var database = new SqliteDatabase(databasePath, dataRoot);
        database.Migrate();
        return On(database);
    }

    /// <summary>Every port on an already migrated database.</summary>
    public static StorageBackend On(SqliteDatabase database) => new(() => database.SchemaVersion)
    {
        Provider = StorageBackend.Sqlite,
        Location = database.Path,
        Paths = database.Paths,
        Datasets = new DatasetRepository(database),
        Checkpoints = new CheckpointRepository(database),
        Embeddings = new EmbeddingRepository(database),
        RankingRuns = new RankingRunRepository(database),
        Scores = new ScoreRepository(database),
        TrainRankings = new TrainRankingRepository(database),
        Agreement = new AgreementRepository(database),
        ScoringMatrices = new ScoringMatrixRepository(database),
        Jobs = new JobRepository(database),
        Evaluations = new EvaluationRepository(database),
        Flags = new FlagRepository(database),
        Exports = new ExportRepository(database),
        Ledger = new RunLedgerRepository(database),
        Plugins = new PluginCatalogRepository(database),
        Users = new UserRepository(database),
    };
}
