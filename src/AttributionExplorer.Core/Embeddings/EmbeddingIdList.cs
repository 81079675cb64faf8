namespace AttributionExplorer.Core.Embeddings;

/// <summary>Reads the identifier list that accompanies an imported embedding matrix: one image identifier per line
/// (an image file name or a COCO image id), in the row order of the matrix. Blank lines and lines starting with '#'
/// are skipped; '#' elsewhere is kept because file names may contain it.</summary>
public static class EmbeddingIdList
{
    public static IReadOnlyList<string> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: embedding id list not found", path);
        var ids = new List<string>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (!firstLine.TryAdd(line, lineNumber))
                throw new InvalidDataException(
                    $"{path}: line {lineNumber}: identifier '{line}' already listed on line {firstLine[line]}");
            ids.Add(line);
        }
        return ids;
    }
}
