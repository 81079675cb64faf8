using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Options plus the opened, migrated database shared by the steps of one command.</summary>
public sealed class PipelineContext
{
    public PipelineContext(AppOptions options)
    {
        Options = options;
        Database = new SqliteDatabase(PathResolver.Resolve(options.DatabasePath));
        Database.Migrate();
        Datasets = new DatasetRepository(Database);
        Checkpoints = new CheckpointRepository(Database);
        Attributions = new AttributionRepository(Database);
        Embeddings = new EmbeddingRepository(Database);
        Jobs = new JobRepository(Database);
        Evaluations = new EvaluationRepository(Database);
        Plugins = new PluginCatalogRepository(Database);
        Worker.Plugins.PluginRegistry.Publish(Plugins);
    }

    public AppOptions Options { get; }
    public SqliteDatabase Database { get; }
    public DatasetRepository Datasets { get; }
    public CheckpointRepository Checkpoints { get; }
    public AttributionRepository Attributions { get; }
    public EmbeddingRepository Embeddings { get; }
    public JobRepository Jobs { get; }
    public EvaluationRepository Evaluations { get; }
    public Core.Plugins.IPluginCatalog Plugins { get; }
    public List<(string Step, string Result, double Seconds)> Summary { get; } = [];

    public string DataRoot => PathResolver.Resolve(Options.DataRoot);

    private TorchSharp.torch.Device? device;
    /// <summary>The configured compute device, resolved (and CUDA initialized) on first use.</summary>
    public TorchSharp.torch.Device Device => device ??= Precompute.Training.ComputeDevice.Resolve(Options.Device);

    public Core.Domain.DatasetInfo RequireDataset(string name) => Datasets.FindByName(name)
        ?? throw new InvalidOperationException($"no dataset named '{name}' in {Database.Path}; import it first (import-coco or demo)");
}
