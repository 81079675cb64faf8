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

/// <summary>Label-error detector, the baseline for every attribution-based one: training images ordered by their mean
/// per-pixel loss under the annotated labels, averaged over the ensemble's checkpoints; highest loss first.</summary>
public sealed class ConfidenceRanking : IRankingMethod
{
    public const string Name = "confidence";

    public RankingMethodInfo Info { get; } = new(Name, "Model confidence (mean pixel loss)",
        "Mean per-pixel cross-entropy of the annotated label under the checkpoint ensemble; highest first: the models disagree most with these labels.",
        RankingScope.TrainImages, Signed: false, [], 11, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        var parameters = new ConfidenceParameters(checkpoints.Select(c => c.RunId).ToArray());
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, parameters.CheckpointRunIds, scope =>
        {
            var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
            var models = checkpoints.ToDictionary(c => c.Id, c => (nn.Module<Tensor, Tensor>)TrainStep.Load(context, c, context.Device));
            try
            {
                double[] Losses(IReadOnlyList<CheckpointRecord> ensemble) => MeanPixelLoss.Compute(ensemble.Select(c => models[c.Id]).ToList(), train);
                var losses = StepProgress.Run("model confidence", 1, _ => Losses(checkpoints));
                var reliability = SplitHalf.Measure(checkpoints, Losses);
                var order = Enumerable.Range(0, losses.Length).OrderByDescending(i => losses[i]).ThenBy(i => i).ToList();
                context.RankingRuns.Begin(scope.RunId, dataset.Id, Name, TrainRankingTargets.Kind, train.ImageIds);
                context.TrainRankings.Write(scope.RunId, order.Select(i => (train.ImageIds[i], (float)losses[i])).ToList());
                context.RankingRuns.RecordReliability(scope.RunId, reliability);
                return new TrainRankingResult(losses.Length);
            }
            finally
            {
                foreach (var model in models.Values) model.Dispose();
            }
        });
        return $"run {outcome.Run.Id}: {outcome.Result.Images} images{(outcome.Reused ? " (reused)" : "")}";
    }

    private sealed record ConfidenceParameters(long[] CheckpointRunIds) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "mean pixel cross-entropy of the annotated class (ignore 255), mean over checkpoints";
        public string Order => "highest first";
    }
}
