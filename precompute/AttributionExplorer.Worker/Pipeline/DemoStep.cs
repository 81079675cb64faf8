using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Precompute.Demo;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Generates the embedded demo dataset and imports it, each only if not done yet.</summary>
public static class DemoStep
{
    public const string DatasetName = "demo";

    public static DatasetInfo EnsureImported(PipelineContext context)
    {
        if (context.Datasets.FindByName(DatasetName) is { } existing)
        {
            StepProgress.Skipped("demo dataset", $"already imported from {existing.ImageRoot}");
            return existing;
        }
        var clock = Stopwatch.StartNew();
        string folder = Path.Combine(context.DataRoot, "demo-dataset");
        DemoDatasetFiles files;
        if (Directory.Exists(folder))
        {
            files = new DemoDatasetFiles(Path.Combine(folder, "images"), Path.Combine(folder, "instances_train.json"),
                Path.Combine(folder, "instances_val.json"), Path.Combine(folder, "planted_errors.json"), 0, 0, 0);
            StepProgress.Skipped("generate demo dataset", $"{folder} exists");
        }
        else
        {
            files = DemoDatasetGenerator.Generate(context.Options.Demo, folder);
            context.Summary.Add(("generate demo dataset", $"{files.TrainCount} train + {files.ValCount} val images, {files.PlantedErrorCount} planted errors", clock.Elapsed.TotalSeconds));
        }
        clock.Restart();
        CocoImporter.Import(context.Datasets, new CocoImportRequest(DatasetName, files.ImagesDir,
            [(files.TrainJson, Splits.Train), (files.ValJson, Splits.Val)], files.PlantedErrorsJson));
        var dataset = context.RequireDataset(DatasetName);
        context.Summary.Add(("import demo (COCO)", $"{context.Datasets.CountImages(dataset.Id, Splits.Train)} train, {context.Datasets.CountImages(dataset.Id, Splits.Val)} val", clock.Elapsed.TotalSeconds));
        return dataset;
    }
}
