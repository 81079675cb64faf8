using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Web.Services;

public static class StorageRegistration
{
    /// <summary>Registers the SQLite repositories. The schema is migrated once at start-up (an empty file gets the
    /// current schema, so the app shows its empty state instead of failing).</summary>
    public static IServiceCollection AddAttributionStorage(this IServiceCollection services, string databasePath, string dataRoot)
    {
        var database = new SqliteDatabase(databasePath, dataRoot);
        database.Migrate();
        services.AddSingleton(database);
        services.AddSingleton<IDatasetRepository>(new DatasetRepository(database));
        services.AddSingleton<ICheckpointRepository>(new CheckpointRepository(database));
        var runs = new RankingRunRepository(database);
        var scores = new ScoreRepository(database);
        var trainRankings = new TrainRankingRepository(database);
        var agreement = new AgreementRepository(database);
        services.AddSingleton<IRankingRunRepository>(runs);
        services.AddSingleton<IScoreRepository>(scores);
        services.AddSingleton<ITrainRankingRepository>(trainRankings);
        services.AddSingleton<IAgreementRepository>(agreement);
        services.AddSingleton<IScoringMatrixRepository>(new ScoringMatrixRepository(database));
        services.AddSingleton<IAttributionRepository>(new AttributionReads(runs, scores, trainRankings, agreement));
        services.AddSingleton<AttributionExplorer.Core.Runs.IRunLedger>(new RunLedgerRepository(database));
        services.AddSingleton<IEmbeddingRepository>(new EmbeddingRepository(database));
        services.AddSingleton<IJobRepository>(new JobRepository(database));
        var flags = new FlagRepository(database);
        services.AddSingleton<IFlagRepository>(flags);
        services.AddSingleton<IExportRepository>(new ExportRepository(database));
        services.AddSingleton<IEvaluationRepository>(new EvaluationRepository(database));
        services.AddSingleton<AttributionExplorer.Core.Plugins.IPluginCatalog>(new PluginCatalogRepository(database));
        // Flagged image ids for (dataset, flag states), for export rules that drop flagged images.
        services.AddSingleton<Func<long, IReadOnlyList<string>, IReadOnlySet<long>>>((datasetId, states) => flags.FlaggedImageIds(datasetId, states));
        services.AddSingleton<ExportService>();
        services.AddSingleton<LabelErrorQueue>();
        services.AddSingleton<TargetRankings>();
        services.AddScoped<MissingResource>();
        services.AddSingleton<IUserRepository>(new UserRepository(database));
        return services;
    }
}
