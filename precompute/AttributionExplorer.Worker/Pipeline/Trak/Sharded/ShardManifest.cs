namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>What one finished shard wrote: its stage and position, the plan it was computed for (the plan file's
/// SHA-256), each file with size and SHA-256, and per unit its recorded result (JSON). Written last, after every file
/// is in place: a shard without a manifest that verifies is not finished.</summary>
public sealed record ShardManifest(string Stage, int Shard, int Shards, string PlanSha256, IReadOnlyList<ShardFile> Files,
    IReadOnlyDictionary<string, string> Results, DateTime WrittenUtc)
{
    public const string FileName = "manifest.json";

    public static string Folder(string dir, string stage, ShardSpec shard) => Path.Combine(dir, stage, shard.Folder);

    /// <summary>The shard's manifest when it exists, belongs to this plan and every file it lists verifies; otherwise
    /// null with the reason.</summary>
    public static ShardManifest? Verify(string dir, string stage, ShardSpec shard, string planSha256, out string problem, bool verifyFiles = true)
    {
        string folder = Folder(dir, stage, shard);
        string path = Path.Combine(folder, FileName);
        problem = "";
        if (!System.IO.File.Exists(path))
        {
            problem = $"{path} is missing (the shard did not finish)";
            return null;
        }
        ShardManifest manifest;
        try
        {
            manifest = ShardFiles.ReadJson<ShardManifest>(path, $"{stage} shard {shard} manifest");
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
            return null;
        }
        if (manifest.Stage != stage || manifest.Shard != shard.Index || manifest.Shards != shard.Count)
            problem = $"{path} describes {manifest.Stage} shard {manifest.Shard}/{manifest.Shards}, not {stage} shard {shard}";
        else if (manifest.PlanSha256 != planSha256)
            problem = $"{path} was written for another plan (plan SHA-256 {manifest.PlanSha256[..12]}…, current {planSha256[..12]}…)";
        else if (verifyFiles && manifest.Files.Select(f => ShardFiles.Problem(folder, f)).FirstOrDefault(p => p is not null) is { } bad)
            problem = bad;
        return problem == "" ? manifest : null;
    }

    public void Write(string dir) => ShardFiles.WriteJson(Path.Combine(Folder(dir, Stage, new ShardSpec(Shard, Shards)), FileName), this);
}
