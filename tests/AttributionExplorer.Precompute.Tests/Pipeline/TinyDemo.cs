using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

/// <summary>The demo job at a size that runs in seconds: 20 training + 4 held-out images at 32 px, two seeds × both
/// epochs as trajectory checkpoints.</summary>
public static class TinyDemo
{
    public static AppOptions Options(string root) => new()
    {
        DatabasePath = Path.Combine(root, "db", "attribution.db"),
        DataRoot = Path.Combine(root, "data"),
        Demo = new DemoOptions
        {
            Seed = 5, TrainImages = 20, ValImages = 4, ImageSize = 48, LabelErrorRate = 0.1,
            Model = new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] },
            Training = new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 2e-3, Seeds = [0, 1], TrajectoryEpochs = 2 },
            Trak = new TrakOptions { ProjectionDim = 64, GradientBatchSize = 8, TopK = 5 },
            Similarity = new SimilarityOptions { ImageSize = 32, EncoderWidth = 4, HiddenDim = 16, EmbeddingDim = 8, QueueSize = 16, Epochs = 2, BatchSize = 8, TopK = 5 },
        },
    };

    /// <summary>`precompute demo` itself (every registered method, then agreement); returns the dataset and the
    /// full-image TRAK run.</summary>
    public static (DatasetInfo Dataset, long TrakImageRun) Run(PipelineContext context)
    {
        var dataset = DemoPipeline.Run(context);
        return (dataset, context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!.Id);
    }
}
