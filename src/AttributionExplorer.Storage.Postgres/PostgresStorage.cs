using AttributionExplorer.Storage.Postgres.Repositories;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Postgres;

/// <summary>The PostgreSQL adapters behind <see cref="StorageBackend"/>.</summary>
public static class PostgresStorage
{
    /// <summary>Connects, migrates and wires every port; file paths are stored relative to <paramref name="dataRoot"/>.</summary>
    public static StorageBackend Open(string connectionString, string dataRoot)
    {
        var database = new PostgresDatabase(connectionString, dataRoot);
        try
        {
            database.Migrate();
            return On(database);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Every port on an already migrated database; disposing the backend closes its connections.</summary>
    public static StorageBackend On(PostgresDatabase database) => new(() => database.SchemaVersion, database)
    {
        Provider = StorageBackend.Postgres,
        Location = database.Location,
        Paths = database.Paths,
        Datasets = new DatasetRepository(database),
        Checkpoints = new CheckpointRepository(database),
        Embeddings = new EmbeddingRepository(database),
        RankingRuns = new RankingRunRepository(database),
        Scores = new PgScoreRepository(database),
        TrainRankings = new PgTrainRankingRepository(database),
        Agreement = new AgreementRepository(database),
        ScoringMatrices = new ScoringMatrixRepository(database),
        Jobs = new JobRepository(database),
        Evaluations = new EvaluationRepository(database),
        Flags = new FlagRepository(database),
        Exports = new PgExportRepository(database),
        Ledger = new RunLedgerRepository(database),
        Plugins = new PluginCatalogRepository(database),
        Users = new UserRepository(database),
    };
}
