using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Embeddings;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Matches the rows of an imported .npy matrix to the dataset's images through the id list (file name or COCO
/// image id per line). Every image must have a row; unknown or duplicate ids are errors naming the file and line.</summary>
public static class ImportedEmbeddings
{
    public static List<(long ImageId, float[] Vector)> Match(string npyPath, string idsPath, IReadOnlyList<ImageRecord> images)
    {
        var rows = NpyReader.Read(npyPath);
        var ids = EmbeddingIdList.Read(idsPath);
        if (ids.Count != rows.Length)
            throw new InvalidDataException($"{idsPath}: names {ids.Count} images but {npyPath} has {rows.Length} rows");
        var byFile = images.GroupBy(i => i.FileName).ToDictionary(g => g.Key, g => g.First());
        var byCocoId = images.GroupBy(i => i.CocoId).ToDictionary(g => g.Key, g => g.First());
        var matched = new Dictionary<long, float[]>();
        for (int r = 0; r < ids.Count; r++)
        {
            var image = byFile.GetValueOrDefault(ids[r]) ?? (long.TryParse(ids[r], out long coco) ? byCocoId.GetValueOrDefault(coco) : null)
                ?? throw new InvalidDataException($"{idsPath}: row {r + 1} names '{ids[r]}', which is neither a file name nor a COCO image id of this dataset");
            if (!matched.TryAdd(image.Id, rows[r])) throw new InvalidDataException($"{idsPath}: row {r + 1} names image '{ids[r]}' a second time");
        }
        var missing = images.Where(i => !matched.ContainsKey(i.Id)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{idsPath}: {missing.Count} images of the dataset have no embedding row, e.g. {string.Join(", ", missing.Take(3).Select(i => i.FileName))}");
        return images.Select(i => (i.Id, matched[i.Id])).ToList();
    }
}
