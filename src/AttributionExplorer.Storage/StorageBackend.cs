using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;

namespace AttributionExplorer.Storage;

/// <summary>Every storage port of one back end (SQLite or PostgreSQL), migrated and ready: what the web app and the
/// worker are composed from, whichever database is configured.</summary>
public sealed class StorageBackend(Func<int> schemaVersion, IDisposable? owned = null) : IDisposable
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    /// <summary><see cref="Sqlite"/> or <see cref="Postgres"/>.</summary>
    public required string Provider { get; init; }
    /// <summary>Where the data lives, for messages (the SQLite file, or host, port and database; never a password).</summary>
    public required string Location { get; init; }
    public required DataPaths Paths { get; init; }
    public int SchemaVersion => schemaVersion();

    public required IDatasetRepository Datasets { get; init; }
    public required ICheckpointRepository Checkpoints { get; init; }
    public required IEmbeddingRepository Embeddings { get; init; }
    public required IRankingRunRepository RankingRuns { get; init; }
    public required IScoreRepository Scores { get; init; }
    public required ITrainRankingRepository TrainRankings { get; init; }
    public required IAgreementRepository Agreement { get; init; }
    public required IScoringMatrixRepository ScoringMatrices { get; init; }
    public required IJobRepository Jobs { get; init; }
    public required IEvaluationRepository Evaluations { get; init; }
    public required IFlagRepository Flags { get; init; }
    public required IExportRepository Exports { get; init; }
    public required IRunLedger Ledger { get; init; }
    public required IPluginCatalog Plugins { get; init; }
    public required IUserRepository Users { get; init; }

    public void Dispose() => owned?.Dispose();
}
