using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Precompute.Data;

/// <summary>Builds model-resolution examples from the database: semantic label map at the original resolution
/// (SemanticLabelMap's overlap rule, crowd = ignore), then the same resize/center-crop as the pixels.</summary>
public static class DatabaseExamples
{
    public static InMemorySegmentationSource Load(IDatasetRepository repository, DatasetInfo dataset, string split, int size)
    {
        var categories = repository.GetCategories(dataset.Id);
        var modelIndex = categories.ToDictionary(c => c.CocoId, c => (byte)c.ModelIndex);
        var annotations = repository.GetAnnotationsForSplit(dataset.Id, split);
        int total = repository.CountImages(dataset.Id, split);
        var examples = new List<SegmentationExample>(total);
        for (int offset = 0; offset < total; offset += 1000)
            foreach (var image in repository.GetImages(dataset.Id, split, offset, 1000))
                examples.Add(Build(Path.Combine(dataset.ImageRoot, image.FileName), image, annotations.GetValueOrDefault(image.Id, []), modelIndex, size));
        return new InMemorySegmentationSource(examples, categories.Count + 1, size);
    }

    /// <summary>One stored image as a single-example source (on-demand attribution); uploads live under
    /// <paramref name="dataRoot"/> and have no annotations (all-background labels).</summary>
    public static InMemorySegmentationSource LoadImage(IDatasetRepository repository, DatasetInfo dataset, long imageId, int size, string dataRoot)
    {
        var image = repository.GetImage(imageId) ?? throw new KeyNotFoundException($"image {imageId} does not exist");
        if (image.DatasetId != dataset.Id) throw new ArgumentException($"image {imageId} belongs to dataset {image.DatasetId}, not '{dataset.Name}'");
        var categories = repository.GetCategories(dataset.Id);
        var modelIndex = categories.ToDictionary(c => c.CocoId, c => (byte)c.ModelIndex);
        string path = ImageLocation.Resolve(dataset, image, dataRoot) ?? throw new InvalidDataException($"image {imageId}: file name '{image.FileName}' escapes its folder");
        return new InMemorySegmentationSource([Build(path, image, repository.GetAnnotations(imageId), modelIndex, size)], categories.Count + 1, size);
    }

    /// <summary>An instance mask (or any mask at the image's resolution) moved to model resolution like the labels.</summary>
    public static bool[] ResampleMask(bool[] mask, int height, int width, int size)
    {
        var bytes = mask.Select(m => m ? (byte)1 : (byte)0).ToArray();
        return CropGeometry.ResizeShortSideCenterCrop(height, width, size).ResampleLabels(bytes, height, width).Select(b => b != 0).ToArray();
    }

    private static SegmentationExample Build(string path, ImageRecord image, IReadOnlyList<AnnotationRecord> annotations,
        IReadOnlyDictionary<int, byte> modelIndex, int size)
    {
        var instances = annotations.Select(a => (RleCodec.Decode(a.Mask), modelIndex[a.CategoryCocoId], a.IsCrowd, a.Area));
        var labels = SemanticLabelMap.Build(instances, image.Height, image.Width);
        var geometry = CropGeometry.ResizeShortSideCenterCrop(image.Height, image.Width, size);
        return new SegmentationExample(image.Id, path, geometry.ResampleLabels(labels, image.Height, image.Width));
    }
}
