using System.Text.Json;
using AttributionExplorer.Core.Runs;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>A file of the shared directory as a manifest records it: its name relative to the manifest's folder, its
/// size and its SHA-256.</summary>
public sealed record ShardFile(string Name, long Bytes, string Sha256);

/// <summary>Writing and checking files in the shared directory. Every file is written to a temporary name and renamed
/// into place, so a process killed mid-write leaves no file under its final name.</summary>
public static class ShardFiles
{
    internal static readonly JsonSerializerOptions Json = new(RunParameters.JsonOptions) { WriteIndented = true };

    public static ShardFile Write(string folder, string name, Action<string> writeFile)
    {
        Directory.CreateDirectory(folder);
        string full = Path.Combine(folder, name);
        string temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            writeFile(temporary);
            var file = new ShardFile(name, new FileInfo(temporary).Length, ArtifactStore.Sha256Of(temporary));
            File.Move(temporary, full, overwrite: true);
            return file;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteJson<T>(string path, T value)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Write(folder, Path.GetFileName(path), temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(value, Json)));
    }

    public static T ReadJson<T>(string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} ({what}) does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} ({what}) is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} ({what}) is not valid: {e.Message}");
        }
    }

    /// <summary>Null when the file exists with the recorded size and SHA-256, else what is wrong with it.</summary>
    public static string? Problem(string folder, ShardFile file)
    {
        string full = Path.Combine(folder, file.Name);
        if (!File.Exists(full)) return $"{full} is missing";
        long bytes = new FileInfo(full).Length;
        if (bytes != file.Bytes) return $"{full} has {bytes} bytes, its manifest records {file.Bytes} (partial or corrupt)";
        string sha = ArtifactStore.Sha256Of(full);
        if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
            return $"{full} does not match its recorded SHA-256 (file {sha[..12]}…, manifest {file.Sha256[..Math.Min(12, file.Sha256.Length)]}…): corrupt or changed";
        return null;
    }

    /// <summary>The full path of a recorded file after checking it (throws with the problem named).</summary>
    public static string Verified(string folder, ShardFile file, string remedy) =>
        Problem(folder, file) is { } problem ? throw new InvalidDataException($"{problem}; {remedy}") : Path.Combine(folder, file.Name);
}
