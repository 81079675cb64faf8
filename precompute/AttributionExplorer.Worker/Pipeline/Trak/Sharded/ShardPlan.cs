using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>The sharded computation's contract, written by `trak-shard plan` into the shared directory (plan.json):
/// the dataset and its version, the TRAK settings, the checkpoints (their files copied to inputs/), the training images
/// in order, the featurize ranges, the target kinds with their target counts, and every input file with size and
/// SHA-256. Shards read only this and inputs/; they never open the database.</summary>
public sealed record ShardPlan(int Format, long DatasetId, string DatasetName, string DatasetVersion, TrakOptions Trak, int ImageSize,
    int NumClasses, IReadOnlyList<CheckpointRecord> Checkpoints, IReadOnlyList<long> TrainImageIds, IReadOnlyList<long> ValImageIds,
    IReadOnlyList<FeaturizeRange> Ranges, IReadOnlyList<PlannedKind> Kinds, IReadOnlyList<ShardFile> Inputs)
{
    public const int CurrentFormat = 1;
    public const string FileName = "plan.json";
    public const string InputsFolder = "inputs";

    /// <summary>Featurize units: every checkpoint × every range, checkpoint-major.</summary>
    public IReadOnlyList<(CheckpointRecord Checkpoint, FeaturizeRange Range)> FeaturizeUnits =>
        Checkpoints.SelectMany(c => Ranges.Select(r => (c, r))).ToList();

    public TrakProjection Projection => TrakProjection.Of(Trak);

    public CheckpointRecord Checkpoint(long id) => Checkpoints.SingleOrDefault(c => c.Id == id)
        ?? throw new InvalidDataException($"{FileName}: no checkpoint {id}");

    public static string Path(string dir) => System.IO.Path.Combine(dir, FileName);
    public static string InputsDir(string dir) => System.IO.Path.Combine(dir, InputsFolder);

    /// <summary>The plan of <paramref name="dir"/> and its SHA-256 (which every shard manifest records).</summary>
    public static (ShardPlan Plan, string Sha256) Load(string dir)
    {
        string path = Path(dir);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist; run `precompute trak-shard plan --dir {dir}` first", path);
        var plan = ShardFiles.ReadJson<ShardPlan>(path, "sharded TRAK plan");
        if (plan.Format != CurrentFormat) throw new InvalidDataException($"{path}: format {plan.Format}, this worker reads format {CurrentFormat}; run plan again");
        return (plan, Core.Runs.ArtifactStore.Sha256Of(path));
    }

    /// <summary>An input file's full path after checking its size and SHA-256 against the plan.</summary>
    public string Input(string dir, string name) => ShardFiles.Verified(InputsDir(dir),
        Inputs.SingleOrDefault(f => f.Name == name) ?? throw new InvalidDataException($"{Path(dir)} lists no input {name}"),
        "run `precompute trak-shard plan` again");
}

public sealed record FeaturizeRange(int Start, int Count)
{
    public string Key => $"{Start}-{Count}";
}

public sealed record PlannedKind(string Name, int Targets);

/// <summary>What the score shards' target planners need from the database: categories, the held-out images and their
/// annotations, and each checkpoint's stored prediction of each held-out image (checkpoint order of the plan).</summary>
public sealed record PlanningInputs(IReadOnlyList<Category> Categories, IReadOnlyList<ImageRecord> ValImages,
    IReadOnlyDictionary<long, AnnotationRecord[]> Annotations, IReadOnlyDictionary<long, byte[][]> Predictions)
{
    public const string FileName = "targets.json";
}
