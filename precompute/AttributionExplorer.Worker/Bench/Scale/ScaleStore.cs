using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage.Providers;

namespace AttributionExplorer.Worker.Bench.Scale;

/// <summary>The storage ports `bench scale` generates through and measures: the same ones the web app's pages read.
/// Disposing it closes the back end's connections.</summary>
public sealed record ScaleStore(string Description, IDisposable Owner, IDatasetRepository Datasets, IRankingRunRepository RankingRuns, IScoreRepository Scores,
    ITrainRankingRepository TrainRankings, IAgreementRepository Agreement, ICheckpointRepository Checkpoints, IFlagRepository Flags,
    IExportRepository Exports, IRunLedger Ledger) : IDisposable
{
    public void Dispose() => Owner.Dispose();
}

/// <summary>Opens a <see cref="ScaleStore"/> on a storage provider through the app's own factory
/// (<see cref="StorageProvider.Open"/>), so the bench measures the adapters the web app and the workers use.</summary>
public static class ScaleStoreFactory
{
    public const string Sqlite = StorageOptions.Sqlite;
    public const string Postgres = StorageOptions.Postgres;
    public static readonly IReadOnlyList<string> Providers = [Sqlite, Postgres];

    /// <param name="connection">SQLite: the database file; PostgreSQL: the connection string (Host=…;Database=…;Username=…).</param>
    /// <param name="dataRoot">The folder the score files go under; SQLite: by default the database file's folder.</param>
    public static ScaleStore Open(string provider, string connection, string? dataRoot = null)
    {
        if (!Providers.Contains(provider)) throw new ArgumentException($"--provider: '{provider}' is not one of {string.Join(", ", Providers)}");
        if (string.IsNullOrWhiteSpace(connection))
            throw new ArgumentException(provider == Postgres ? "--connection: give the PostgreSQL connection string (Host=…;Database=…;Username=…)" : "--connection: give the database file");
        string root = dataRoot ?? (provider == Sqlite ? Path.GetDirectoryName(Path.GetFullPath(connection))!
            : throw new ArgumentException("--data-root: give the folder for the score files of a PostgreSQL store"));
        Directory.CreateDirectory(root);
        var options = new AppOptions
        {
            DataRoot = Path.GetFullPath(root),
            DatabasePath = provider == Sqlite ? Path.GetFullPath(connection) : "",
            Storage = new StorageOptions { Provider = provider, ConnectionString = provider == Postgres ? connection : "" },
        };
        var backend = StorageProvider.Open(options);
        return new ScaleStore($"{(provider == Sqlite ? "SQLite " : "")}{backend.Location}, score files under {backend.Paths.Root}", backend,
            backend.Datasets, backend.RankingRuns, backend.Scores, backend.TrainRankings, backend.Agreement, backend.Checkpoints, backend.Flags,
            backend.Exports, backend.Ledger);
    }
}
