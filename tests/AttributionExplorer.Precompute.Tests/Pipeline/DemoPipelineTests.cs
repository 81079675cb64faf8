using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Worker.Pipeline;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

/// <summary>The whole demo job on a tiny configuration: generate → import → train 2 seeds → TRAK → SQLite, then a
/// rerun that must skip every completed step.</summary>
public class DemoPipelineTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-pipeline").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private AppOptions Options() => new AppOptions
    {
        DatabasePath = Path.Combine(root, "db", "attribution.db"),
        DataRoot = Path.Combine(root, "data"),
        Demo = new DemoOptions
        {
            Seed = 5, TrainImages = 20, ValImages = 4, ImageSize = 48, LabelErrorRate = 0.1,
            Model = new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] },
            Training = new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 2e-3, Seeds = [0, 1] },
            Trak = new TrakOptions { ProjectionDim = 64, GradientBatchSize = 8, TopK = 5 },
        },
    };

    private static (DatasetInfo, long) RunDemo(PipelineContext context)
    {
        var dataset = DemoStep.EnsureImported(context);
        var demo = context.Options.Demo;
        var checkpoints = TrainStep.Run(context, dataset, demo.Model, demo.Training);
        return (dataset, TrakStep.Run(context, dataset, demo.Model, demo.Trak, checkpoints));
    }

    [Fact]
    public void StoresScoresForEveryHeldOutTimesTrainingImageAndSkipsCompletedWorkOnRerun()
    {
        var context = new PipelineContext(Options());
        var (dataset, runId) = RunDemo(context);

        var checkpoints = context.Checkpoints.List(dataset.Id);
        Assert.Equal(new[] { 0, 1 }, checkpoints.Select(c => c.Seed));
        Assert.All(checkpoints, c => Assert.Contains("\"seed\":" + c.Seed, c.HyperparametersJson));
        Assert.Equal(2, context.Datasets.GetPlantedErrors(dataset.Id).Count);
        var run = context.Attributions.GetLatestCompleteRun(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        Assert.Equal(runId, run.Id);
        Assert.Contains("\"ProjectionSeed\":0", run.ParametersJson);
        var val = context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 100);
        Assert.Equal(4, val.Count);
        foreach (var image in val)
        {
            var target = Assert.Single(context.Attributions.GetTargets(run.Id, image.Id));
            var scores = context.Attributions.GetScores(target.Id);
            Assert.Equal(20, scores.Length);
            Assert.All(scores, s => Assert.True(float.IsFinite(s)));
            Assert.Contains(scores, s => s != 0);
            Assert.Equal(5, context.Attributions.GetTopInfluencers(target.Id, true, 10).Count);
            Assert.NotNull(context.Checkpoints.GetPrediction(checkpoints[0].Id, image.Id));
        }
        Assert.Equal(20, context.Attributions.CountOverallInfluence(run.Id));

        var again = new PipelineContext(Options());
        var (_, rerunId) = RunDemo(again);
        Assert.Equal(runId, rerunId);
        Assert.Empty(again.Summary);
        Assert.Single(again.Attributions.ListCompleteRuns(dataset.Id));
        Assert.Equal(2, again.Checkpoints.List(dataset.Id).Count);
    }
}
