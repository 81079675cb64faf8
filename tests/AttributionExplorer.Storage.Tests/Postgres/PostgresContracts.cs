using AttributionExplorer.Storage.Tests.Contracts;

namespace AttributionExplorer.Storage.Tests.Postgres;

// The same contracts against the PostgreSQL adapters, each test on a fresh database of the test cluster (skipped with the
// reason where no PostgreSQL server binaries are installed, failed under AE_REQUIRE_POSTGRES=1).

public sealed class PostgresRunLedgerContract : RunLedgerContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresDatasetRepositoryContract : DatasetRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresRankingContract : RankingContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresJobRepositoryContract : JobRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresEvaluationRepositoryContract : EvaluationRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresFlagRepositoryContract : FlagRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresExportRepositoryContract : ExportRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresEmbeddingRepositoryContract : EmbeddingRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresCheckpointRepositoryContract : CheckpointRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresPluginCatalogContract : PluginCatalogContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresDataRootContract : DataRootContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresReliabilityContract : ReliabilityContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresReviewQueueContract : ReviewQueueContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresUserRepositoryContract : UserRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}

public sealed class PostgresScoreFilesContract : ScoreFilesContract
{
    protected override IStorageUnderTest CreateStorage() => new PostgresStorageUnderTest();
}
