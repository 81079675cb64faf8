namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>The finished shards of one stage for the current plan: all N manifests of one shard count must be there
/// (a missing or unreadable one is named), and each file is verified against its manifest when it is used.</summary>
public sealed class StageOutputs
{
    private readonly string dir;
    private readonly Dictionary<string, (string Folder, ShardFile File)> files = new();
    private readonly Dictionary<string, string> results = new();

    public string Stage { get; }
    public int Shards { get; }
    public IReadOnlyList<ShardManifest> Manifests { get; }

    private StageOutputs(string dir, string stage, IReadOnlyList<ShardManifest> manifests)
    {
        this.dir = dir;
        Stage = stage;
        Manifests = manifests;
        Shards = manifests.Count;
        foreach (var manifest in manifests)
        {
            string folder = ShardManifest.Folder(dir, stage, new ShardSpec(manifest.Shard, manifest.Shards));
            foreach (var file in manifest.Files) files[file.Name] = (folder, file);
            foreach (var (unit, json) in manifest.Results) results[unit] = json;
        }
    }

    /// <summary>Reads the stage's manifests. The shard count is the one the stage's folders name; every shard of it must
    /// have a manifest of this plan, else this throws naming the first shard that has not finished and why.</summary>
    public static StageOutputs Read(string dir, string stage, string planSha256)
    {
        string stageDir = Path.Combine(dir, stage);
        var counts = (Directory.Exists(stageDir) ? Directory.GetDirectories(stageDir) : [])
            .Select(Path.GetFileName).Select(name => System.Text.RegularExpressions.Regex.Match(name!, @"^shard-(\d+)-of-(\d+)$"))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[2].Value)).Distinct().Order().ToList();
        if (counts.Count == 0)
            throw new InvalidDataException($"no {stage} shard has run: {stageDir} holds no shard-i-of-N folder; run `precompute trak-shard {stage} --dir {dir} --shard i/N` for every i");
        if (counts.Count > 1)
            throw new InvalidDataException($"{stageDir} holds shards of {string.Join(" and ", counts)}-way runs; remove the folders of the count you no longer use");
        int n = counts[0];
        var manifests = new List<ShardManifest>();
        for (int i = 0; i < n; i++)
        {
            var shard = new ShardSpec(i, n);
            var manifest = ShardManifest.Verify(dir, stage, shard, planSha256, out string problem, verifyFiles: false)
                ?? throw new InvalidDataException($"{stage} shard {shard} has not finished: {problem}; run `precompute trak-shard {stage} --dir {dir} --shard {shard}`");
            manifests.Add(manifest);
        }
        return new StageOutputs(dir, stage, manifests);
    }

    /// <summary>Checks every file of every shard (size and SHA-256); throws naming the first bad one.</summary>
    public void VerifyAll()
    {
        foreach (var (name, (folder, file)) in files)
            if (ShardFiles.Problem(folder, file) is { } problem) throw new InvalidDataException($"{Remedy(problem, name)}");
    }

    /// <summary>The full path of an output file after checking it.</summary>
    public string File(string name, string unit)
    {
        if (!files.TryGetValue(name, out var entry))
            throw new InvalidDataException($"{Stage} output {name} ({unit}) is in no manifest of the {Shards} {Stage} shards under {Path.Combine(dir, Stage)}; the plan changed since they ran? Rerun the {Stage} shards");
        return ShardFiles.Problem(entry.Folder, entry.File) is { } problem ? throw new InvalidDataException(Remedy(problem, name)) : Path.Combine(entry.Folder, name);
    }

    /// <summary>A float32 matrix file of this stage (<see cref="Precompute.Trak.OnDemand.ScoringMatrixFile"/>), checked first.</summary>
    public TorchSharp.torch.Tensor Matrix(string name, string unit, int rows, int cols) =>
        Precompute.Trak.OnDemand.ScoringMatrixFile.Load(File(name, unit), rows, cols, files[name].File.Sha256);

    public string Result(string unit) => results.TryGetValue(unit, out var json) ? json
        : throw new InvalidDataException($"{Stage} unit {unit} has no recorded result in the {Shards} {Stage} shards under {Path.Combine(dir, Stage)}; rerun them");

    public bool Has(string name) => files.ContainsKey(name);

    private string Remedy(string problem, string name)
    {
        var owner = Manifests.First(m => m.Files.Any(f => f.Name == name));
        return $"{Stage} shard {owner.Shard}/{owner.Shards}: {problem}; rerun `precompute trak-shard {Stage} --dir {dir} --shard {owner.Shard}/{owner.Shards}` (it redoes a shard whose files do not verify)";
    }
}
