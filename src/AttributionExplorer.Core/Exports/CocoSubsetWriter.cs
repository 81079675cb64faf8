using System.Text.Encodings.Web;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Exports;

/// <summary>A COCO instances file restricted to the given images: their annotations (segmentation as compressed RLE,
/// as pycocotools reads it) and all categories of the dataset. Ids are the source COCO ids, not database ids.</summary>
public static class CocoSubsetWriter
{
    public static byte[] Write(string description, IReadOnlyList<ImageRecord> images,
        IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> annotationsByImageId, IReadOnlyList<Category> categories)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("info");
            w.WriteString("description", description);
            w.WriteEndObject();

            w.WriteStartArray("images");
            foreach (var image in images)
            {
                w.WriteStartObject();
                w.WriteNumber("id", image.CocoId);
                w.WriteString("file_name", image.FileName);
                w.WriteNumber("width", image.Width);
                w.WriteNumber("height", image.Height);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("annotations");
            foreach (var image in images)
            {
                if (!annotationsByImageId.TryGetValue(image.Id, out var annotations)) continue;
                foreach (var a in annotations)
                {
                    if (a.ImageId != image.Id)
                        throw new ArgumentException($"annotationsByImageId: annotation {a.Id} belongs to image {a.ImageId}, listed under {image.Id}");
                    if (a.Mask.Height != image.Height || a.Mask.Width != image.Width)
                        throw new ArgumentException($"annotation {a.Id}: mask is {a.Mask.Height}×{a.Mask.Width}, image {image.Id} is {image.Height}×{image.Width}");
                    WriteAnnotation(w, a, image.CocoId);
                }
            }
            w.WriteEndArray();

            w.WriteStartArray("categories");
            foreach (var c in categories.OrderBy(c => c.CocoId))
            {
                w.WriteStartObject();
                w.WriteNumber("id", c.CocoId);
                w.WriteString("name", c.Name);
                if (c.Supercategory is not null) w.WriteString("supercategory", c.Supercategory);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteAnnotation(Utf8JsonWriter w, AnnotationRecord a, long imageCocoId)
    {
        w.WriteStartObject();
        w.WriteNumber("id", a.CocoId);
        w.WriteNumber("image_id", imageCocoId);
        w.WriteNumber("category_id", a.CategoryCocoId);
        w.WriteStartObject("segmentation");
        w.WriteStartArray("size");
        w.WriteNumberValue(a.Mask.Height);
        w.WriteNumberValue(a.Mask.Width);
        w.WriteEndArray();
        w.WriteString("counts", RleCodec.ToCompressedString(a.Mask.Counts));
        w.WriteEndObject();
        w.WriteNumber("area", a.Area);
        w.WriteStartArray("bbox");
        foreach (double v in a.Bbox) w.WriteNumberValue(v);
        w.WriteEndArray();
        w.WriteNumber("iscrowd", a.IsCrowd ? 1 : 0);
        w.WriteEndObject();
    }
}
