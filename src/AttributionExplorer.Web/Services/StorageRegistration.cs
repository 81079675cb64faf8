using AttributionExplorer.Storage;

namespace AttributionExplorer.Web.Services;

public static class StorageRegistration
{
    /// <summary>Registers the SQLite repositories of the file at <paramref name="databasePath"/> (migrated first).</summary>
    public static IServiceCollection AddAttributionStorage(this IServiceCollection services, string databasePath, string dataRoot) =>
        services.AddAttributionStorage(SqliteStorage.Open(databasePath, dataRoot));

    /// <summary>Registers every port of the configured storage (<see cref="Storage.Providers.StorageProvider"/>). The schema
    /// was migrated when it was opened (an empty database gets the current schema, so the app shows its empty state).</summary>
    public static IServiceCollection AddAttributionStorage(this IServiceCollection services, StorageBackend storage)
    {
        services.AddSingleton(storage);
        services.AddSingleton(storage.Datasets);
        services.AddSingleton(storage.Checkpoints);
        services.AddSingleton(storage.RankingRuns);
        services.AddSingleton(storage.Scores);
        services.AddSingleton(storage.TrainRankings);
        services.AddSingleton(storage.Agreement);
        services.AddSingleton(storage.ScoringMatrices);
        services.AddSingleton<IAttributionRepository>(new AttributionReads(storage.RankingRuns, storage.Scores, storage.TrainRankings, storage.Agreement));
        services.AddSingleton(storage.Ledger);
        services.AddSingleton(storage.Embeddings);
        services.AddSingleton(storage.Jobs);
        var flags = storage.Flags;
        services.AddSingleton(flags);
        services.AddSingleton(storage.Exports);
        services.AddSingleton(storage.Evaluations);
        services.AddSingleton(storage.Plugins);
        // Flagged image ids for (dataset, flag states), for export rules that drop flagged images.
        services.AddSingleton<Func<long, IReadOnlyList<string>, IReadOnlySet<long>>>((datasetId, states) => flags.FlaggedImageIds(datasetId, states));
        services.AddSingleton<ExportService>();
        services.AddSingleton<LabelErrorQueue>();
        services.AddSingleton<TargetRankings>();
        services.AddScoped<MissingResource>();
        services.AddSingleton(storage.Users);
        return services;
    }
}
