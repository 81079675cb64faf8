using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Precompute.Demo;

public sealed record DemoDatasetFiles(string ImagesDir, string TrainJson, string ValJson, string PlantedErrorsJson,
    int TrainCount, int ValCount, int PlantedErrorCount);

/// <summary>Writes the embedded demo: a seeded COCO-format segmentation dataset of textured scenes with eight shape
/// classes, occlusion, polygon / RLE / compressed-RLE / crowd annotations, and label errors planted in a known
/// fraction of training images (ground truth in planted_errors.json).</summary>
public static class DemoDatasetGenerator
{
    public const int ValIdOffset = 100_000;

    public static DemoDatasetFiles Generate(DemoOptions options, string outputDir)
    {
        if (options.TrainImages < 10 || options.ValImages < 1 || options.ImageSize < 32)
            throw new ArgumentException("demo needs ≥ 10 training images, ≥ 1 held-out image and ImageSize ≥ 32");
        outputDir = Path.GetFullPath(outputDir);
        if (Directory.Exists(outputDir)) throw new IOException($"{outputDir} already exists; remove it to regenerate the demo");
        string staging = outputDir + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(Path.Combine(staging, "images", Splits.Train));
        Directory.CreateDirectory(Path.Combine(staging, "images", Splits.Val));

        var writer = new DemoCocoWriter();
        var planted = new List<object>();
        if (options.PlantingSeed is { } plantingSeed) GenerateWithIndependentPlanting(options, plantingSeed, staging, writer, planted);
        else GenerateHistorical(options, staging, writer, planted);

        string trainJson = Path.Combine(staging, "instances_train.json"), valJson = Path.Combine(staging, "instances_val.json");
        writer.Write(Splits.Train, trainJson);
        writer.Write(Splits.Val, valJson);
        File.WriteAllText(Path.Combine(staging, "planted_errors.json"), JsonSerializer.Serialize(planted, new JsonSerializerOptions { WriteIndented = true }));
        Directory.Move(staging, outputDir);
        return new DemoDatasetFiles(Path.Combine(outputDir, "images"), Path.Combine(outputDir, "instances_train.json"),
            Path.Combine(outputDir, "instances_val.json"), Path.Combine(outputDir, "planted_errors.json"),
            options.TrainImages, options.ValImages, planted.Count);
    }

    /// <summary>The historical demo: one stream for the plan, the scenes and the annotations; a scene that gets an error
    /// is drawn so it can carry it.</summary>
    private static void GenerateHistorical(DemoOptions options, string staging, DemoCocoWriter writer, List<object> planted)
    {
        var random = new Random(options.Seed);
        var plan = DemoErrorPlan.Create(options, random);
        int annotationId = 1;
        for (int i = 0; i < options.TrainImages + options.ValImages; i++)
        {
            var (imageId, split, fileName) = Naming(options, i);
            string? errorKind = split == Splits.Train ? plan.KindFor(i) : null;
            var scene = BuildScene(options.ImageSize, random, errorKind, plan);
            File.WriteAllBytes(Path.Combine(staging, "images", fileName), DemoSceneRenderer.RenderPng(scene, random));
            var annotations = DemoAnnotator.Annotate(scene, imageId, ref annotationId, errorKind, plan, random, out string? detail);
            writer.AddImage(split, imageId, fileName, options.ImageSize, annotations);
            if (errorKind is not null) planted.Add(new { image_id = imageId, kind = errorKind, detail });
        }
    }

    /// <summary>Scenes and pixels from <see cref="DemoOptions.Seed"/> alone, errors from the planting seed: the same
    /// scenes under another planting seed get other errors. Encoding choices come from a per-image stream, so they
    /// do not shift when an earlier image loses or gains an annotation. planted_errors.json also lists the ids of
    /// the annotations that carry each error (empty for a missing instance).</summary>
    private static void GenerateWithIndependentPlanting(DemoOptions options, int plantingSeed, string staging, DemoCocoWriter writer, List<object> planted)
    {
        var sceneRandom = new Random(options.Seed);
        var scenes = new List<DemoScene>();
        for (int i = 0; i < options.TrainImages + options.ValImages; i++)
        {
            var scene = BuildScene(options.ImageSize, sceneRandom, null, null);
            File.WriteAllBytes(Path.Combine(staging, "images", Naming(options, i).FileName), DemoSceneRenderer.RenderPng(scene, sceneRandom));
            scenes.Add(scene);
        }
        var planting = new Random(plantingSeed);
        var plan = DemoErrorPlan.CreateIndependent(options, scenes.Take(options.TrainImages).ToList(), planting);
        int annotationId = 1;
        for (int i = 0; i < scenes.Count; i++)
        {
            var (imageId, split, fileName) = Naming(options, i);
            string? errorKind = split == Splits.Train ? plan.KindFor(i) : null;
            var encoding = new Random((int)((options.Seed * 1_000_003L + imageId) % int.MaxValue));
            var erroneous = new List<long>();
            var annotations = DemoAnnotator.Annotate(scenes[i], imageId, ref annotationId, errorKind, plan, encoding, out string? detail, planting, erroneous);
            writer.AddImage(split, imageId, fileName, options.ImageSize, annotations);
            if (errorKind is not null) planted.Add(new { image_id = imageId, kind = errorKind, detail, annotation_ids = erroneous });
        }
    }

    private static (long ImageId, string Split, string FileName) Naming(DemoOptions options, int i)
    {
        bool train = i < options.TrainImages;
        long imageId = train ? i + 1 : ValIdOffset + (i - options.TrainImages) + 1;
        string split = train ? Splits.Train : Splits.Val;
        return (imageId, split, $"{split}/{imageId:D6}.png");
    }

    internal static DemoScene BuildScene(int size, Random random, string? errorKind, DemoErrorPlan? plan)
    {
        int count = random.Next(1, 5);
        if (errorKind is PlantedErrorKinds.MissingInstance && count < 2) count = 2;
        var classes = Enumerable.Range(0, count).Select(_ => DemoShapes.Classes[random.Next(DemoShapes.Classes.Length)]).ToList();
        if (errorKind is PlantedErrorKinds.ClassConfusion) classes[0] = plan!.ConfusedFrom;

        DemoShapes.ShapeClass? crowdClass = null;
        var crowdParts = new List<DrawnInstance>();
        if (random.NextDouble() < 0.1)
        {
            crowdClass = DemoShapes.Classes[random.Next(DemoShapes.Classes.Length)];
            float cx = random.Next(size / 4, 3 * size / 4), cy = random.Next(size / 4, 3 * size / 4);
            for (int k = 0; k < random.Next(3, 6); k++)
            {
                var path = DemoShapes.Path(crowdClass.Name, cx + random.Next(-size / 6, size / 6), cy + random.Next(-size / 6, size / 6), size / 16f, (float)random.NextDouble());
                var mask = DemoSceneRenderer.RenderMask(path, size);
                crowdParts.Add(new DrawnInstance(crowdClass, path, mask, mask));
            }
        }

        var drawn = new List<(DemoShapes.ShapeClass Class, SkiaSharp.SKPath Path, bool[] Mask)>();
        foreach (var cls in classes)
        {
            float r = size * (0.1f + 0.1f * (float)random.NextDouble());
            float cx = r + (float)random.NextDouble() * (size - 2 * r), cy = r + (float)random.NextDouble() * (size - 2 * r);
            var path = DemoShapes.Path(cls.Name, cx, cy, r, (float)(random.NextDouble() * Math.PI * 2));
            drawn.Add((cls, path, DemoSceneRenderer.RenderMask(path, size)));
        }
        // Later instances occlude earlier ones (and the crowd, drawn first): subtract them from the visible masks.
        var instances = new List<DrawnInstance>();
        for (int i = 0; i < drawn.Count; i++)
        {
            var visible = (bool[])drawn[i].Mask.Clone();
            for (int j = i + 1; j < drawn.Count; j++)
                for (int p = 0; p < visible.Length; p++) if (drawn[j].Mask[p]) visible[p] = false;
            instances.Add(new DrawnInstance(drawn[i].Class, drawn[i].Path, drawn[i].Mask, visible));
        }
        var occludedCrowd = crowdParts.Select(c =>
        {
            var visible = (bool[])c.VisibleMask.Clone();
            foreach (var d in drawn) for (int p = 0; p < visible.Length; p++) if (d.Mask[p]) visible[p] = false;
            return c with { VisibleMask = visible };
        }).ToList();
        return new DemoScene(size, instances, occludedCrowd, crowdClass);
    }
}
