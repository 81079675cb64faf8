using System.Data.Common;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Storage.Tests.Contracts;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage.Tests.Sqlite;

/// <summary>The SQLite adapters on a fresh, migrated temporary database whose folder is the data root.</summary>
internal sealed class SqliteStorageUnderTest : IStorageUnderTest
{
    private readonly TempDatabase temp = new();
    private string? movedTo;

    public SqliteStorageUnderTest() => Open(temp.Database);

    public SqliteDatabase Database { get; private set; } = null!;
    public IDatasetRepository Datasets { get; private set; } = null!;
    public ICheckpointRepository Checkpoints { get; private set; } = null!;
    public IEmbeddingRepository Embeddings { get; private set; } = null!;
    public IRankingRunRepository RankingRuns { get; private set; } = null!;
    public IScoreRepository Scores { get; private set; } = null!;
    public ITrainRankingRepository TrainRankings { get; private set; } = null!;
    public IAgreementRepository Agreement { get; private set; } = null!;
    public IScoringMatrixRepository ScoringMatrices { get; private set; } = null!;
    public IJobRepository Jobs { get; private set; } = null!;
    public IEvaluationRepository Evaluations { get; private set; } = null!;
    public IFlagRepository Flags { get; private set; } = null!;
    public IExportRepository Exports { get; private set; } = null!;
    public IRunLedger Ledger { get; private set; } = null!;
    public IPluginCatalog Plugins { get; private set; } = null!;
    public IUserRepository Users { get; private set; } = null!;
    public string DataRoot => Database.Paths.Root;

    public void MoveDataRoot(string newDataRoot)
    {
        SqliteConnection.ClearAllPools();
        string fileName = Path.GetFileName(Database.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(newDataRoot))!);
        Directory.Move(DataRoot, newDataRoot);
        movedTo = newDataRoot;
        Open(new SqliteDatabase(Path.Combine(newDataRoot, fileName), newDataRoot));
    }

    public DbConnection OpenConnection() => Database.Open();

    private void Open(SqliteDatabase database)
    {
        Database = database;
        Datasets = new DatasetRepository(database);
        Checkpoints = new CheckpointRepository(database);
        Embeddings = new EmbeddingRepository(database);
        RankingRuns = new RankingRunRepository(database);
        Scores = new ScoreRepository(database);
        TrainRankings = new TrainRankingRepository(database);
        Agreement = new AgreementRepository(database);
        ScoringMatrices = new ScoringMatrixRepository(database);
        Jobs = new JobRepository(database);
        Evaluations = new EvaluationRepository(database);
        Flags = new FlagRepository(database);
        Exports = new ExportRepository(database);
        Ledger = new RunLedgerRepository(database);
        Plugins = new PluginCatalogRepository(database);
        Users = new UserRepository(database);
    }

    private bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (movedTo is null) temp.Dispose();
        else
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(movedTo, recursive: true);
        }
    }
}
