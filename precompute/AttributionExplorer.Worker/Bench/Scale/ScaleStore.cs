using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Worker.Bench.Scale;

/// <summary>The storage ports `bench scale` generates through and measures: the same ones the web app's pages read.</summary>
public sealed record ScaleStore(string Description, IDatasetRepository Datasets, IRankingRunRepository RankingRuns, IScoreRepository Scores,
    ITrainRankingRepository TrainRankings, IAgreementRepository Agreement, ICheckpointRepository Checkpoints, IFlagRepository Flags,
    IExportRepository Exports, IRunLedger Ledger);

/// <summary>Opens a <see cref="ScaleStore"/> on a storage provider. Each provider builds its adapters here; the bench
/// sees only the ports, so a provider added here is measured by the same command.</summary>
public static class ScaleStoreFactory
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public static readonly IReadOnlyList<string> Providers = [Sqlite, Postgres];

    /// <param name="connection">SQLite: the database file (its folder is the data root of the score files).</param>
    public static ScaleStore Open(string provider, string connection) => provider switch
    {
        Sqlite => OpenSqlite(connection),
        Postgres => throw new InvalidOperationException(
            "--provider postgres: this build has no PostgreSQL storage adapters (they come with the PostgreSQL storage factory); use --provider sqlite"),
        _ => throw new ArgumentException($"--provider: '{provider}' is not one of {string.Join(", ", Providers)}"),
    };

    private static ScaleStore OpenSqlite(string path)
    {
        var database = new SqliteDatabase(path);
        database.Migrate();
        return new ScaleStore($"SQLite {database.Path}", new DatasetRepository(database), new RankingRunRepository(database), new ScoreRepository(database),
            new TrainRankingRepository(database), new AgreementRepository(database), new CheckpointRepository(database), new FlagRepository(database),
            new ExportRepository(database), new RunLedgerRepository(database));
    }
}
