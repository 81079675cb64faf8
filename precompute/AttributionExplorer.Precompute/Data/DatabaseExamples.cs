using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Storage.Repositories;

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
            {
                var instances = annotations.GetValueOrDefault(image.Id, [])
                    .Select(a => (RleCodec.Decode(a.Mask), modelIndex[a.CategoryCocoId], a.IsCrowd, a.Area));
                var labels = SemanticLabelMap.Build(instances, image.Height, image.Width);
                var geometry = CropGeometry.ResizeShortSideCenterCrop(image.Height, image.Width, size);
                examples.Add(new SegmentationExample(image.Id, Path.Combine(dataset.ImageRoot, image.FileName),
                    geometry.ResampleLabels(labels, image.Height, image.Width)));
            }
        return new InMemorySegmentationSource(examples, categories.Count + 1, size);
    }
}
