using System.Data.Common;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>One storage back end as the contracts see it: every port, the data root its paths are relative to, and a
/// plain ADO.NET connection for the few checks only raw access can make (portable SQL, <see cref="DbException"/>).</summary>
public interface IStorageUnderTest : IDisposable
{
    IDatasetRepository Datasets { get; }
    ICheckpointRepository Checkpoints { get; }
    IEmbeddingRepository Embeddings { get; }
    IRankingRunRepository RankingRuns { get; }
    IScoreRepository Scores { get; }
    ITrainRankingRepository TrainRankings { get; }
    IAgreementRepository Agreement { get; }
    IScoringMatrixRepository ScoringMatrices { get; }
    IJobRepository Jobs { get; }
    IEvaluationRepository Evaluations { get; }
    IFlagRepository Flags { get; }
    IExportRepository Exports { get; }
    IRunLedger Ledger { get; }
    IPluginCatalog Plugins { get; }
    IUserRepository Users { get; }

    /// <summary>The folder stored file paths are relative to.</summary>
    string DataRoot { get; }

    /// <summary>Moves the whole data folder (and the database, where it lives there) to <paramref name="newDataRoot"/>
    /// and reopens every port on it.</summary>
    void MoveDataRoot(string newDataRoot);

    DbConnection OpenConnection();
}
