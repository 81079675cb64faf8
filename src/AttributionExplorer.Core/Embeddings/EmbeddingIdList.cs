namespace AttributionExplorer.Core.Embeddings;

/// <summary>The row names of an imported embedding matrix: one image per line, as its file name (as in the COCO JSON)
/// or its COCO image id. Blank lines and lines starting with '#' are skipped.</summary>
public static class EmbeddingIdList
{
    public static IReadOnlyList<string> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: embedding id list not found", path);
        return File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
    }
}
