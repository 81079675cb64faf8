using System.Text.Json;

namespace AttributionExplorer.Precompute.Demo;

/// <summary>Accumulates images and annotations per split and writes standard COCO instances JSON.</summary>
internal sealed class DemoCocoWriter
{
    private readonly Dictionary<string, (List<object> Images, List<DemoAnnotation> Annotations)> splits = new();

    public void AddImage(string split, long imageId, string fileName, int size, IEnumerable<DemoAnnotation> annotations)
    {
        if (!splits.TryGetValue(split, out var s)) splits[split] = s = ([], []);
        s.Images.Add(new { id = imageId, file_name = fileName, width = size, height = size });
        s.Annotations.AddRange(annotations);
    }

    public void Write(string split, string path)
    {
        var (images, annotations) = splits.TryGetValue(split, out var s) ? s : ([], []);
        var document = new
        {
            info = new { description = "AttributionExplorer demo dataset (synthetic shapes)", version = "1" },
            images,
            annotations = annotations.Select(a => new
            {
                id = a.Id, image_id = a.ImageId, category_id = a.CategoryId, segmentation = a.Segmentation,
                area = a.Area, bbox = a.Bbox, iscrowd = a.IsCrowd,
            }),
            categories = DemoShapes.Classes.Select(c => new { id = c.CocoId, name = c.Name, supercategory = "shape" }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document));
    }
}
