using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.Confidence;

/// <summary>Label-error detector: training images ordered by their mean per-pixel loss under the annotated labels,
/// averaged over the final checkpoint of each training run; highest loss first. Unlike the soft-minimum it averages a small
/// wrong region away, so it is the weaker baseline for partial errors.</summary>
public sealed class LossRanking : ITrainImageDetector
{
    public const string Name = "loss";

    public RankingMethodInfo Info { get; } = new(Name, "Mean pixel loss",
        "Mean per-pixel cross-entropy of the annotated label under the ensemble (final checkpoint of each run); highest first.",
        RankingScope.TrainImages, Signed: false, [], 16, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var checkpoints = ConfidenceRanking.FinalCheckpoints(TrainStep.Run(context, dataset, sizes.Model, sizes.Training));
        var parameters = new LossParameters(checkpoints.Select(c => c.Id).ToArray());
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, checkpoints.Select(c => c.RunId).Distinct().ToList(), scope =>
        {
            var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
            using var models = new LoadedCheckpoints(context, checkpoints);
            double[] Losses(IReadOnlyList<CheckpointRecord> ensemble) => MeanPixelLoss.Compute(models.PredictionsOf(ensemble, dataset, Splits.Train, train), train);
            var losses = StepProgress.Run("mean pixel loss", 1, _ => Losses(checkpoints));
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, train.ImageIds, losses);
            context.RankingRuns.RecordReliability(scope.RunId, SplitHalf.Measure(checkpoints, Losses));
            return result;
        }).Run;
    }

    private sealed record LossParameters(long[] CheckpointIds) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "mean pixel cross-entropy of the annotated class (ignore 255), mean over the final checkpoint of each run";
        public string Order => "highest first";
    }
}
