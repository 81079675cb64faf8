using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Postgres.Repositories;

/// <summary>The shared ranking repository; only the ranks of flagged images are looked up the way PostgreSQL's planner needs.</summary>
public sealed class PgTrainRankingRepository(PostgresDatabase database) : TrainRankingRepository(database)
{
    protected override string FlaggedRanks(string table, string where) =>
        // Each flag looks up its image's rows by index (OFFSET 0 keeps the planner from hashing the whole ranking instead).
        $"SELECT r.rank FROM flags f CROSS JOIN LATERAL (SELECT r.rank FROM {table} r WHERE r.run_id = @runId AND r.train_image_id = f.image_id OFFSET 0) r " +
        $"{where} ORDER BY r.rank";
}
