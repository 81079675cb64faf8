using System.Data.Common;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage.Postgres;
using AttributionExplorer.Storage.Tests.Contracts;
using AttributionExplorer.Tests.Shared;

namespace AttributionExplorer.Storage.Tests.Postgres;

/// <summary>The PostgreSQL adapters on a fresh database of the test cluster, with a temporary folder as data root.</summary>
internal sealed class PostgresStorageUnderTest : IStorageUnderTest
{
    private readonly PostgresCluster.TestDatabase database = PostgresCluster.Require().CreateDatabase();
    private StorageBackend backend = null!;

    public PostgresStorageUnderTest()
    {
        string dataRoot = Path.Combine(Path.GetTempPath(), $"ae-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataRoot);
        Open(dataRoot);
    }

    public string ConnectionString => database.ConnectionString;
    public PostgresDatabase Database { get; private set; } = null!;
    public IDatasetRepository Datasets => backend.Datasets;
    public ICheckpointRepository Checkpoints => backend.Checkpoints;
    public IEmbeddingRepository Embeddings => backend.Embeddings;
    public IRankingRunRepository RankingRuns => backend.RankingRuns;
    public IScoreRepository Scores => backend.Scores;
    public ITrainRankingRepository TrainRankings => backend.TrainRankings;
    public IAgreementRepository Agreement => backend.Agreement;
    public IScoringMatrixRepository ScoringMatrices => backend.ScoringMatrices;
    public IJobRepository Jobs => backend.Jobs;
    public IEvaluationRepository Evaluations => backend.Evaluations;
    public IFlagRepository Flags => backend.Flags;
    public IExportRepository Exports => backend.Exports;
    public IRunLedger Ledger => backend.Ledger;
    public IPluginCatalog Plugins => backend.Plugins;
    public IUserRepository Users => backend.Users;
    public string DataRoot => Database.Paths.Root;

    /// <summary>The database stays where it is; only the folder moves, as when a data volume is mounted elsewhere.</summary>
    public void MoveDataRoot(string newDataRoot)
    {
        string old = DataRoot;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(newDataRoot))!);
        Directory.Move(old, newDataRoot);
        Database.Dispose();
        Open(newDataRoot);
    }

    public DbConnection OpenConnection() => Database.Open();

    private void Open(string dataRoot)
    {
        Database = new PostgresDatabase(database.ConnectionString, dataRoot);
        backend = PostgresStorage.On(Database);
    }

    private bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Database.Dispose();
        database.Dispose();
        if (Directory.Exists(DataRoot)) Directory.Delete(DataRoot, recursive: true);
    }
}
