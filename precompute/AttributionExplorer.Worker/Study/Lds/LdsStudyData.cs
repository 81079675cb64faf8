using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Precompute.Demo;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>The study's dataset: the named one when the database has it (any imported dataset, e.g. the demo), else
/// generated with the study's scene seed and sizes (the demo generator, its default label-error planting) and
/// imported under that name, so the figures are stored against it and shown on its evaluation page.</summary>
public static class LdsStudyData
{
    public static DatasetInfo Ensure(PipelineContext context, LdsStudyConfig config, Action<string> log)
    {
        if (context.Datasets.FindByName(config.Dataset) is { } existing)
        {
            log($"dataset '{existing.Name}' (id {existing.Id}) is in the database: used as it is " +
                $"({context.Datasets.CountImages(existing.Id, Splits.Train)} train, {context.Datasets.CountImages(existing.Id, Splits.Val)} held-out)");
            return existing;
        }
        string folder = Path.Combine(context.DataRoot, "studies", $"{config.Dataset}-dataset");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var options = new DemoOptions { Seed = config.SceneSeed, TrainImages = config.Train, ValImages = config.Val, ImageSize = config.ImageSize };
        var files = DemoDatasetGenerator.Generate(options, folder);
        CocoImporter.Import(context.Datasets, new CocoImportRequest(config.Dataset, files.ImagesDir,
            [(files.TrainJson, Splits.Train), (files.ValJson, Splits.Val)], files.PlantedErrorsJson));
        var dataset = context.RequireDataset(config.Dataset);
        log($"generated {files.TrainCount} train + {files.ValCount} held-out {config.ImageSize} px scenes (scene seed {config.SceneSeed}) " +
            $"into {folder} and imported them as dataset '{dataset.Name}' (id {dataset.Id})");
        return dataset;
    }
}
