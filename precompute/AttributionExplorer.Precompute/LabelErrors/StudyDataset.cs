using System.Text.Json;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Precompute.Demo;

namespace AttributionExplorer.Precompute.LabelErrors;

/// <summary>A planted error: the train example it is in, its kind, and the annotations that carry it.</summary>
public sealed record KnownError(int ExampleIndex, string Kind, IReadOnlyList<long> AnnotationIds);

/// <summary>A generated demo dataset held in memory (no database): train and held-out examples at model resolution,
/// the non-crowd objects of each split, and the planted errors.</summary>
public sealed record StudyDataset(InMemorySegmentationSource Train, InMemorySegmentationSource HeldOut,
    IReadOnlyList<TrainObject> TrainObjects, IReadOnlyList<TrainObject> HeldOutObjects, IReadOnlyList<KnownError> Errors)
{
    /// <summary>Generates the demo into <paramref name="folder"/> (which must not exist) and loads it the way the COCO
    /// import and DatabaseExamples do (SemanticLabelMap's overlap rule, crowd = ignore, resize + center crop).</summary>
    public static StudyDataset Generate(DemoOptions options, string folder, int modelSize)
    {
        var files = DemoDatasetGenerator.Generate(options, folder);
        var train = CocoJsonReader.Read(files.TrainJson);
        var val = CocoJsonReader.Read(files.ValJson);
        var categories = train.Categories.Concat(val.Categories).Select(c => c.Id).Distinct().Order().ToList();
        var modelIndex = categories.Select((id, i) => (id, index: (byte)(i + 1))).ToDictionary(p => p.id, p => p.index);
        var (trainSource, trainObjects) = Load(train, files.ImagesDir, modelIndex, modelSize, categories.Count + 1);
        var (valSource, valObjects) = Load(val, files.ImagesDir, modelIndex, modelSize, categories.Count + 1);
        var exampleOf = trainSource.ImageIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        using var document = JsonDocument.Parse(File.ReadAllText(files.PlantedErrorsJson));
        var errors = document.RootElement.EnumerateArray().Select(e => new KnownError(
            exampleOf[e.GetProperty("image_id").GetInt64()], e.GetProperty("kind").GetString()!,
            e.TryGetProperty("annotation_ids", out var ids) ? ids.EnumerateArray().Select(a => a.GetInt64()).ToArray() : [])).ToList();
        return new StudyDataset(trainSource, valSource, trainObjects, valObjects, errors);
    }

    private static (InMemorySegmentationSource, List<TrainObject>) Load(CocoFile file, string imageRoot,
        IReadOnlyDictionary<int, byte> modelIndex, int size, int numClasses)
    {
        var byImage = file.Annotations.ToLookup(a => a.ImageId);
        var examples = new List<SegmentationExample>();
        var objects = new List<TrainObject>();
        foreach (var image in file.Images)
        {
            var annotations = byImage[image.Id].ToList();
            var instances = annotations.Select(a => (RleCodec.Decode(a.Mask), modelIndex[a.CategoryId], a.IsCrowd, (double)RleCodec.Area(a.Mask)));
            var labels = SemanticLabelMap.Build(instances, image.Height, image.Width);
            var geometry = CropGeometry.ResizeShortSideCenterCrop(image.Height, image.Width, size);
            examples.Add(new SegmentationExample(image.Id, Path.Combine(imageRoot, image.FileName), geometry.ResampleLabels(labels, image.Height, image.Width)));
            foreach (var a in annotations.Where(a => !a.IsCrowd))
            {
                var mask = DatabaseExamples.ResampleMask(RleCodec.Decode(a.Mask), image.Height, image.Width, size);
                if (mask.Any(m => m)) objects.Add(new TrainObject(a.Id, examples.Count - 1, modelIndex[a.CategoryId], mask));
            }
        }
        return (new InMemorySegmentationSource(examples, numClasses, size), objects);
    }
}
