using AttributionExplorer.Storage.Tests.Contracts;

namespace AttributionExplorer.Storage.Tests.Sqlite;

// The contracts run against the SQLite adapters. Another back end gets the same set of sealed subclasses with its own
// IStorageUnderTest; nothing in Contracts/ knows which one it runs on.

public sealed class SqliteRunLedgerContract : RunLedgerContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteDatasetRepositoryContract : DatasetRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteRankingContract : RankingContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteJobRepositoryContract : JobRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteEvaluationRepositoryContract : EvaluationRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteFlagRepositoryContract : FlagRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteExportRepositoryContract : ExportRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteEmbeddingRepositoryContract : EmbeddingRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteCheckpointRepositoryContract : CheckpointRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqlitePluginCatalogContract : PluginCatalogContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteDataRootContract : DataRootContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}


public sealed class SqliteReliabilityContract : ReliabilityContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteReviewQueueContract : ReviewQueueContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteUserRepositoryContract : UserRepositoryContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}

public sealed class SqliteScoreFilesContract : ScoreFilesContract
{
    protected override IStorageUnderTest CreateStorage() => new SqliteStorageUnderTest();
}
