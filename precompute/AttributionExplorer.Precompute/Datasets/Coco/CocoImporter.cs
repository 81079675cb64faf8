using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Images;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Precompute.Datasets.Coco;

/// <summary>What to import; <paramref name="Limits"/> bounds every image before it is decoded (defaults when null).</summary>
public sealed record CocoImportRequest(string Name, string ImageRoot, IReadOnlyList<(string JsonPath, string Split)> Files, string? PlantedErrorsPath,
    ImageLimits? Limits = null);

/// <summary>Validates every file completely first, then writes the dataset in one transaction: a malformed input
/// raises a <see cref="CocoFormatException"/> and nothing is stored. Every image file must exist inside the image
/// folder, be a PNG or JPEG within the limits, and have the size its record declares. Categories keep their
/// canonical COCO ids; model indices 1..C follow ascending COCO id (0 is background).</summary>
public static class CocoImporter
{
    public static long Import(IDatasetRepository repository, CocoImportRequest request)
    {
        if (repository.FindByName(request.Name) is not null)
            throw new InvalidOperationException($"a dataset named '{request.Name}' already exists");
        var limits = request.Limits ?? new ImageLimits();
        string imageRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.ImageRoot));
        if (!Directory.Exists(imageRoot)) throw new CocoFormatException("--images", "(argument)", "images", $"image folder {imageRoot} does not exist");
        var files = request.Files.Select(f => (File: CocoJsonReader.Read(f.JsonPath, limits, (fields, image) => VerifyImageFile(fields, image, imageRoot, limits)), f.Split)).ToList();
        foreach (var (file, split) in files)
            if (split == Splits.Train && file.Images.Count == 0)
                throw new CocoFormatException(Path.GetFileName(file.Path), "(document)", "images", "the training split has no images");
        var categories = MergeCategories(files.Select(f => f.File));
        var images = new List<ImportedImage>();
        var seenIds = new HashSet<long>();
        var seenAnnotationIds = new HashSet<long>();
        foreach (var (file, split) in files)
        {
            string name = Path.GetFileName(file.Path);
            var byImage = file.Annotations.ToLookup(a => a.ImageId);
            for (int i = 0; i < file.Images.Count; i++)
            {
                var image = file.Images[i];
                string record = $"images[{i}] (id {image.Id})";
                if (!seenIds.Add(image.Id)) throw new CocoFormatException(name, record, "id", $"image id {image.Id} appears in more than one file");
                foreach (var a in byImage[image.Id])
                    if (!seenAnnotationIds.Add(a.Id))
                        throw new CocoFormatException(name, $"annotation (id {a.Id})", "id", $"annotation id {a.Id} appears more than once");
                var annotations = byImage[image.Id].Select(a => new ImportedAnnotation(a.Id, a.CategoryId, a.IsCrowd, a.Mask,
                    MaskBounds.BoundingBox(RleCodec.Decode(a.Mask), a.Mask.Height, a.Mask.Width), RleCodec.Area(a.Mask))).ToList();
                images.Add(new ImportedImage(image.Id, split, image.FileName, image.Width, image.Height, annotations));
            }
        }
        var planted = request.PlantedErrorsPath is null ? [] : ReadPlantedErrors(request.PlantedErrorsPath, seenIds);
        return repository.Import(new DatasetImport(request.Name, imageRoot,
            string.Join(", ", request.Files.Select(f => $"{f.Split}: {Path.GetFileName(f.JsonPath)}")), categories, images, planted));
    }

    /// <summary>The file must lie inside the image folder and be a PNG or JPEG of the declared size within the
    /// limits; only its header is read.</summary>
    private static void VerifyImageFile(Fields f, CocoImage image, string imageRoot, ImageLimits limits)
    {
        if (image.FileName.Contains('\0') || Path.IsPathRooted(image.FileName))
            throw f.Error("file_name", $"'{image.FileName}' must be a path relative to the image folder");
        string full = Path.GetFullPath(Path.Combine(imageRoot, image.FileName));
        if (!full.StartsWith(imageRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw f.Error("file_name", $"'{image.FileName}' points outside the image folder");
        var info = new FileInfo(full);
        if (!info.Exists) throw f.Error("file_name", $"image file {full} does not exist");
        if (limits.CheckBytes(info.Length) is { } tooLarge) throw f.Error("file_name", $"image file {full}: {tooLarge}");
        ImageHeaderInfo? header;
        string? problem;
        try { header = ImageHeader.TryReadFile(full, out problem); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw f.Error("file_name", $"image file {full} cannot be read: {e.Message}"); }
        if (header is null) throw f.Error("file_name", $"image file {full} is {problem}");
        if (limits.Check(header.Width, header.Height) is { } over) throw f.Error("file_name", $"image file {full} is {over}");
        if (header.Width != image.Width || header.Height != image.Height)
            throw f.Error("width, height", $"declared {image.Width}×{image.Height} but {full} is {header.Width}×{header.Height}");
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
        if (byId.Count > 254)
            throw new CocoFormatException(string.Join(", ", files.Select(f => Path.GetFileName(f.Path))), "(document)", "categories",
                $"{byId.Count} categories: at most 254 fit the byte label maps");
        return byId.Values.Select((c, i) => new Category(c.Id, c.Name, c.Supercategory, i + 1)).ToList();
    }

    private static List<PlantedErrorByCocoId> ReadPlantedErrors(string path, HashSet<long> imageIds)
    {
        string name = Path.GetFileName(path);
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new CocoFormatException(name, "(document)", "(json)", $"not valid JSON: {e.Message}"); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CocoFormatException(name, "(document)", "(file)", $"{path} does not exist");
        }
        using var _ = document;
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
