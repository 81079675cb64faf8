using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Precompute.Datasets.Coco;

public sealed record CocoImportRequest(string Name, string ImageRoot, IReadOnlyList<(string JsonPath, string Split)> Files, string? PlantedErrorsPath);

/// <summary>Validates every file completely first, then writes the dataset in one transaction: a malformed input
/// raises a <see cref="CocoFormatException"/> and nothing is stored. Categories keep their canonical COCO ids; model
/// indices 1..C follow ascending COCO id (0 is background).</summary>
public static class CocoImporter
{
    public static long Import(IDatasetRepository repository, CocoImportRequest request)
    {
        if (repository.FindByName(request.Name) is not null)
            throw new InvalidOperationException($"a dataset named '{request.Name}' already exists");
        var files = request.Files.Select(f => (File: CocoJsonReader.Read(f.JsonPath), f.Split)).ToList();
        var categories = MergeCategories(files.Select(f => f.File));
        var images = new List<ImportedImage>();
        var seenIds = new HashSet<long>();
        foreach (var (file, split) in files)
        {
            string name = Path.GetFileName(file.Path);
            var byImage = file.Annotations.ToLookup(a => a.ImageId);
            for (int i = 0; i < file.Images.Count; i++)
            {
                var image = file.Images[i];
                string record = $"images[{i}] (id {image.Id})";
                if (!seenIds.Add(image.Id)) throw new CocoFormatException(name, record, "id", $"image id {image.Id} appears in more than one file");
                string full = Path.GetFullPath(Path.Combine(request.ImageRoot, image.FileName));
                if (!full.StartsWith(Path.GetFullPath(request.ImageRoot) + Path.DirectorySeparatorChar))
                    throw new CocoFormatException(name, record, "file_name", $"'{image.FileName}' points outside the image folder");
                if (!File.Exists(full)) throw new CocoFormatException(name, record, "file_name", $"image file {full} does not exist");
                var annotations = byImage[image.Id].Select(a => new ImportedAnnotation(a.Id, a.CategoryId, a.IsCrowd, a.Mask,
                    MaskBounds.BoundingBox(RleCodec.Decode(a.Mask), a.Mask.Height, a.Mask.Width), RleCodec.Area(a.Mask))).ToList();
                images.Add(new ImportedImage(image.Id, split, image.FileName, image.Width, image.Height, annotations));
            }
        }
        var planted = request.PlantedErrorsPath is null ? [] : ReadPlantedErrors(request.PlantedErrorsPath, seenIds);
        return repository.Import(new DatasetImport(request.Name, Path.GetFullPath(request.ImageRoot),
            string.Join(", ", request.Files.Select(f => $"{f.Split}: {Path.GetFileName(f.JsonPath)}")), categories, images, planted));
    }

    private static List<Category> MergeCategories(IEnumerable<CocoFile> files)
    {
        var byId = new SortedDictionary<int, CocoCategory>();
        foreach (var file in files)
            for (int i = 0; i < file.Categories.Count; i++)
            {
                var c = file.Categories[i];
                if (byId.TryGetValue(c.Id, out var existing) && existing.Name != c.Name)
                    throw new CocoFormatException(Path.GetFileName(file.Path), $"categories[{i}] (id {c.Id})", "name",
                        $"'{c.Name}' differs from '{existing.Name}' for the same id in another file");
                byId[c.Id] = c;
            }
        if (byId.Count > 254) throw new InvalidOperationException($"{byId.Count} categories: at most 254 fit the byte label maps");
        return byId.Values.Select((c, i) => new Category(c.Id, c.Name, c.Supercategory, i + 1)).ToList();
    }

    private static List<PlantedErrorByCocoId> ReadPlantedErrors(string path, HashSet<long> imageIds)
    {
        string name = Path.GetFileName(path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new CocoFormatException(name, "(document)", "(root)", "must be an array");
        var result = new List<PlantedErrorByCocoId>();
        int i = 0;
        foreach (var e in document.RootElement.EnumerateArray())
        {
            var f = new Fields(name, $"[{i++}]", e);
            long imageId = f.Long("image_id");
            if (!imageIds.Contains(imageId)) throw f.Error("image_id", $"no imported image has id {imageId}");
            string kind = f.String("kind");
            // Any kind label: a team's own audit uses its own vocabulary; evaluations report per kind whatever is there.
            if (string.IsNullOrWhiteSpace(kind)) throw f.Error("kind", "must be a non-empty kind label");
            result.Add(new PlantedErrorByCocoId(imageId, kind, f.OptionalString("detail") ?? ""));
        }
        return result;
    }
}
