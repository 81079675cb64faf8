namespace AttributionExplorer.Core.Runs;

/// <summary>Files runs write under the data root: written to a temporary file and renamed into place (a crash never
/// leaves a half-written file under the final name), recorded with their SHA-256 relative to the data root, and
/// verified when read back.</summary>
public sealed class ArtifactStore(string dataRoot)
{
    public string DataRoot { get; } = Path.GetFullPath(dataRoot);

    public string FullPath(string relativePath) => Path.GetFullPath(Path.Combine(DataRoot, relativePath));

    /// <param name="writeFile">Writes the file at the path it is given (a temporary name next to the final one).</param>
    public RunArtifact Write(string name, string relativePath, Action<string> writeFile)
    {
        string full = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            writeFile(temporary);
            string sha = Sha256Of(temporary);
            long bytes = new FileInfo(temporary).Length;
            File.Move(temporary, full, overwrite: true);
            return new RunArtifact(name, Path.GetRelativePath(DataRoot, full), sha, bytes);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The artifact's full path after checking that the file exists and its SHA-256 matches the record.</summary>
    public string Verified(RunArtifact artifact, string rebuildHint)
    {
        string full = FullPath(artifact.RelativePath);
        if (!File.Exists(full))
            throw new FileNotFoundException($"{full} ({artifact.Name}) is missing; {rebuildHint}", full);
        string sha = Sha256Of(full);
        if (!string.Equals(sha, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{full} ({artifact.Name}) does not match its recorded SHA-256 (file {sha[..12]}…, recorded {artifact.Sha256[..Math.Min(12, artifact.Sha256.Length)]}…): it was changed or corrupted; {rebuildHint}");
        return full;
    }

    public static string Sha256Of(string path) => Hashing.Sha256Hex.OfFile(path);
}
