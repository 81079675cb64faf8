namespace AttributionExplorer.Core.Domain;

/// <summary>Where an image file lives: dataset images under the dataset's image root, uploads under
/// {DataRoot}/uploads/{dataset id}. Returns null when the stored name would escape its folder.</summary>
public static class ImageLocation
{
    public static string UploadsFolder(string dataRoot, long datasetId) => Path.Combine(Path.GetFullPath(dataRoot), "uploads", datasetId.ToString());

    public static string? Resolve(DatasetInfo dataset, ImageRecord image, string dataRoot)
    {
        string root = Path.GetFullPath(image.Split == Splits.Upload ? UploadsFolder(dataRoot, dataset.Id) : dataset.ImageRoot);
        string full = Path.GetFullPath(Path.Combine(root, image.FileName));
        return full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}
