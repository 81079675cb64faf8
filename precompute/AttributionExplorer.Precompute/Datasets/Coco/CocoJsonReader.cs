using System.Text.Json;
using AttributionExplorer.Core.Images;

namespace AttributionExplorer.Precompute.Datasets.Coco;

/// <summary>Reads and validates a COCO instances JSON file; every problem is a <see cref="CocoFormatException"/>.</summary>
public static class CocoJsonReader
{
    /// <summary>Reads a file; declared image sizes above <paramref name="limits"/> are refused before any mask is
    /// rasterized at them. <paramref name="verifyImage"/> sees each image record as soon as it is read.</summary>
    public static CocoFile Read(string jsonPath, ImageLimits? limits = null) => Read(jsonPath, limits ?? new ImageLimits(), null);

    internal static CocoFile Read(string jsonPath, ImageLimits limits, Action<Fields, CocoImage>? verifyImage)
    {
        string file = Path.GetFileName(jsonPath);
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(jsonPath);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e) { throw new CocoFormatException(file, "(document)", "(json)", $"not valid JSON: {e.Message}"); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CocoFormatException(file, "(document)", "(file)", $"{jsonPath} does not exist");
        }
        using (document)
        {
            var root = document.RootElement;
            var images = new List<CocoImage>();
            var seen = new HashSet<long>();
            int index = 0;
            foreach (var e in Array(root, "images", file, "(document)"))
            {
                var f = new Fields(file, $"images[{index++}]", e);
                var image = new CocoImage(f.Long("id", 0, long.MaxValue), f.String("file_name"), f.PositiveInt("width"), f.PositiveInt("height"));
                if (!seen.Add(image.Id)) throw f.Error("id", $"duplicate image id {image.Id}");
                if (limits.Check(image.Width, image.Height) is { } tooLarge) throw f.WithId(image.Id).Error("width, height", tooLarge);
                verifyImage?.Invoke(f.WithId(image.Id), image);
                images.Add(image);
            }
            var categories = new List<CocoCategory>();
            var categoryIds = new HashSet<int>();
            index = 0;
            foreach (var e in Array(root, "categories", file, "(document)"))
            {
                var f = new Fields(file, $"categories[{index++}]", e);
                var category = new CocoCategory(f.Int("id", 0, int.MaxValue), f.String("name"), f.OptionalString("supercategory"));
                if (!categoryIds.Add(category.Id)) throw f.WithId(category.Id).Error("id", $"duplicate category id {category.Id}");
                categories.Add(category);
            }
            var imagesById = images.ToDictionary(i => i.Id);
            var annotations = new List<CocoAnnotation>();
            index = 0;
            foreach (var e in Array(root, "annotations", file, "(document)"))
            {
                var f = new Fields(file, $"annotations[{index++}]", e);
                f = f.WithId(f.Long("id", 0, long.MaxValue));
                long imageId = f.Long("image_id");
                if (!imagesById.TryGetValue(imageId, out var image)) throw f.Error("image_id", $"no image has id {imageId}");
                int categoryId = f.Int("category_id", 0, int.MaxValue);
                if (!categoryIds.Contains(categoryId)) throw f.Error("category_id", $"no category has id {categoryId}");
                long crowd = f.OptionalLong("iscrowd") ?? 0;
                if (crowd is not (0 or 1)) throw f.Error("iscrowd", $"must be 0 or 1, got {crowd}");
                var mask = CocoSegmentation.Parse(f, image);
                annotations.Add(new CocoAnnotation(f.Long("id", 0, long.MaxValue), imageId, categoryId, crowd == 1, mask));
            }
            return new CocoFile(jsonPath, images, annotations, categories);
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement root, string name, string file, string record)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value))
            throw new CocoFormatException(file, record, name, "missing");
        if (value.ValueKind != JsonValueKind.Array) throw new CocoFormatException(file, record, name, "must be an array");
        return value.EnumerateArray();
    }
}
