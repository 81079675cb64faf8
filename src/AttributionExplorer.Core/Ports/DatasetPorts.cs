using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Core.Ports;

/// <summary>Everything a dataset import writes, applied in one transaction (all or nothing).</summary>
public sealed record DatasetImport(
    string Name,
    string ImageRoot,
    string SourceDescription,
    IReadOnlyList<Category> Categories,
    IReadOnlyList<ImportedImage> Images,
    IReadOnlyList<PlantedErrorByCocoId> PlantedErrors);

public sealed record ImportedImage(long CocoId, string Split, string FileName, int Width, int Height,
    IReadOnlyList<ImportedAnnotation> Annotations);

public sealed record ImportedAnnotation(long CocoId, int CategoryCocoId, bool IsCrowd,
    Core.Masks.RleMask Mask, double[] Bbox, double Area);

public sealed record PlantedErrorByCocoId(long ImageCocoId, string Kind, string Detail);

public interface IDatasetRepository
{
    /// <summary>Imports a dataset atomically; throws (and writes nothing) if a dataset of that name exists.</summary>
    long Import(DatasetImport import);
    DatasetInfo? FindByName(string name);
    IReadOnlyList<DatasetInfo> List();
    DatasetInfo? Get(long datasetId);
    IReadOnlyList<Category> GetCategories(long datasetId);
    int CountImages(long datasetId, string split);
    /// <summary>Images of a split ordered by id, one page at a time.</summary>
    IReadOnlyList<ImageRecord> GetImages(long datasetId, string split, int offset, int limit);
    ImageRecord? GetImage(long imageId);
    /// <summary>The image with this COCO id in the dataset (COCO ids are unique within a dataset), or null.</summary>
    ImageRecord? GetImageByCocoId(long datasetId, long cocoId);
    IReadOnlyList<ImageRecord> GetImagesByIds(IReadOnlyCollection<long> imageIds);
    IReadOnlyList<AnnotationRecord> GetAnnotations(long imageId);
    /// <summary>All annotations of a split, keyed by image id (for training).</summary>
    IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> GetAnnotationsForSplit(long datasetId, string split);
    IReadOnlyList<PlantedError> GetPlantedErrors(long datasetId);
    /// <summary>Records an uploaded image (split "upload", a negative COCO id, no annotations); returns its id.</summary>
    long AddUpload(long datasetId, string fileName, int width, int height);
}
