using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Ports;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Providers;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Options, the storage ports (the configured SQLite or PostgreSQL adapters behind them), the run executor and the artifact store shared by
/// the steps of one command.</summary>
public sealed class PipelineContext
{
    public PipelineContext(AppOptions options, TimeSpan? lease = null)
    {
        Options = options;
        Storage = StorageProvider.Open(options);
        Datasets = Storage.Datasets;
        Checkpoints = Storage.Checkpoints;
        RankingRuns = Storage.RankingRuns;
        Scores = Storage.Scores;
        TrainRankings = Storage.TrainRankings;
        Agreement = Storage.Agreement;
        ScoringMatrices = Storage.ScoringMatrices;
        Embeddings = Storage.Embeddings;
        Jobs = Storage.Jobs;
        Evaluations = Storage.Evaluations;
        Plugins = Storage.Plugins;
        Ledger = Storage.Ledger;
        WorkerName = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
        Lease = lease ?? RunExecutor.DefaultLease;
        Runs = new RunExecutor(Ledger, WorkerName, Lease);
        Artifacts = new ArtifactStore(DataRoot);
        Worker.Plugins.PluginRegistry.Publish(Plugins);
    }

    public AppOptions Options { get; }
    /// <summary>The configured storage (SQLite or PostgreSQL), migrated.</summary>
    public StorageBackend Storage { get; }
    /// <summary>The SQLite file, for the few SQLite-only uses (tests reading it directly).</summary>
    public SqliteDatabase Database => sqlite ??= Storage.Provider == StorageBackend.Sqlite
        ? new SqliteDatabase(Storage.Location, Storage.Paths.Root)
        : throw new InvalidOperationException($"{AppOptions.Section}:Storage:Provider = {Storage.Provider}: there is no SQLite file");
    private SqliteDatabase? sqlite;
    public IDatasetRepository Datasets { get; }
    public ICheckpointRepository Checkpoints { get; }
    public IRankingRunRepository RankingRuns { get; }
    public IScoreRepository Scores { get; }
    public ITrainRankingRepository TrainRankings { get; }
    public IAgreementRepository Agreement { get; }
    public IScoringMatrixRepository ScoringMatrices { get; }
    public IEmbeddingRepository Embeddings { get; }
    public IJobRepository Jobs { get; }
    public IEvaluationRepository Evaluations { get; }
    public IPluginCatalog Plugins { get; }
    public IRunLedger Ledger { get; }
    /// <summary>The one lifecycle of every recorded computation (find by identity → claim → run → complete/fail).</summary>
    public RunExecutor Runs { get; }
    /// <summary>How long a claimed run stays ours without a heartbeat.</summary>
    public TimeSpan Lease { get; }
    public ArtifactStore Artifacts { get; }
    /// <summary>Checkpoint predictions shared by the detectors of this command.</summary>
    public PredictionCache Predictions { get; } = new();
    /// <summary>Who holds this process's leases: host, process id and a random suffix (a restarted worker is someone else).</summary>
    public string WorkerName { get; }
    public List<(string Step, string Result, double Seconds)> Summary { get; } = [];
    /// <summary>Warnings printed under the summary (a degenerate TRAK regime, with its figures).</summary>
    public List<string> Warnings { get; } = [];

    public string DataRoot => PathResolver.Resolve(Options.DataRoot);

    /// <summary>How per-example gradients are computed (Trak:GradientMethod): a speed choice for every section, not a
    /// run parameter, since the loop and the batched method give the same gradients.</summary>
    public Precompute.Trak.GradientMethod GradientMethod => Pipeline.Trak.TrakProjection.ParseGradients(Options.Trak.GradientMethod);

    private TorchSharp.torch.Device? device;
    /// <summary>The configured compute device, resolved (and CUDA initialized) on first use.</summary>
    public TorchSharp.torch.Device Device => device ??= Precompute.Training.ComputeDevice.Resolve(Options.Device);

    public Core.Domain.DatasetInfo RequireDataset(string name) => Datasets.FindByName(name)
        ?? throw new InvalidOperationException($"no dataset named '{name}' in {Storage.Location}; import it first (import-coco or demo)");
}

/// <summary>The model, training, TRAK and similarity sizes a command uses (the Demo section's with --demo-sizes).</summary>
public sealed record PipelineSizes(ModelOptions Model, TrainingOptions Training, TrakOptions Trak, SimilarityOptions Similarity)
{
    public static PipelineSizes Of(AppOptions options, bool demo) => demo
        ? new(options.Demo.Model, options.Demo.Training, options.Demo.Trak, options.Demo.Similarity)
        : new(options.Model, options.Training, options.Trak, options.Similarity);
}
