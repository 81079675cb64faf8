namespace AttributionExplorer.Storage;

/// <summary>Stored file paths are relative to the data root when they lie under it, so moving the data folder keeps
/// every reference valid; paths outside it (a COCO image folder elsewhere) stay absolute.</summary>
public sealed class DataPaths(string dataRoot)
{
    public string Root { get; } = System.IO.Path.GetFullPath(dataRoot);

    public string ToStored(string path)
    {
        string full = System.IO.Path.GetFullPath(path, Root);
        string relative = System.IO.Path.GetRelativePath(Root, full);
        return relative == ".." || relative.StartsWith(".." + System.IO.Path.DirectorySeparatorChar) || System.IO.Path.IsPathRooted(relative)
            ? full : relative;
    }

    public string ToFull(string stored) => System.IO.Path.GetFullPath(stored, Root);
}
