using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.Confidence;

/// <summary>Label-error detector, the baseline for every attribution-based one (confident learning's label quality,
/// cleanlab's segmentation score): the soft-minimum over an image's labelled pixels of the ensemble's probability of
/// the annotated class; lowest quality first. The ensemble is the final checkpoint of each training run (trajectory
/// checkpoints of one run are nearly the same model).</summary>
public sealed class ConfidenceRanking : ITrainImageDetector, IEnsemblePartScorable
{
    public const string Name = "confidence";

    public RankingMethodInfo Info { get; } = new(Name, "Model confidence (label quality)",
        "Soft-minimum over the labelled pixels of the ensemble's probability of the annotated class (temperature 0.1); lowest first: the models most disagree with some part of these masks.",
        RankingScope.TrainImages, Signed: false, [], 11, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var finals = FinalCheckpoints(TrainStep.Run(context, dataset, sizes.Model, sizes.Training));
        var parameters = new ConfidenceParameters(finals.Select(c => c.RunId).ToArray(), LabelQualityScorer.DefaultTemperature);
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, parameters.CheckpointRunIds, scope =>
        {
            var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
            using var models = new LoadedCheckpoints(context, finals);
            double[] Quality(IReadOnlyList<CheckpointRecord> ensemble) =>
                LabelQualityScorer.Score(models.PredictionsOf(ensemble, dataset, Splits.Train, train), train, parameters.Temperature);
            var quality = StepProgress.Run("model confidence", 1, _ => Quality(finals));
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, train.ImageIds, quality.Select(q => -q).ToList(), quality);
            context.RankingRuns.RecordReliability(scope.RunId, SplitHalf.Measure(finals, Quality));
            return result;
        }).Run;
    }

    public double[] SuspicionUnder(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, RunRecord run, IReadOnlyList<CheckpointRecord> checkpoints)
    {
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
        var finals = FinalCheckpoints(checkpoints);
        using var models = new LoadedCheckpoints(context, finals);
        return LabelQualityScorer.Score(models.PredictionsOf(finals, dataset, Splits.Train, train), train, RunParameters.Read<ConfidenceParameters>(run).Temperature)
            .Select(q => -q).ToArray();
    }

    /// <summary>The last checkpoint of each training run, in run order.</summary>
    public static IReadOnlyList<CheckpointRecord> FinalCheckpoints(IReadOnlyList<CheckpointRecord> checkpoints) =>
        checkpoints.GroupBy(c => c.RunId).Select(g => g.OrderBy(c => c.Epoch).Last()).ToList();

    private sealed record ConfidenceParameters(long[] CheckpointRunIds, double Temperature) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "soft-minimum of the annotated class's mean ensemble probability over non-ignored pixels";
        public string Order => "lowest first";
    }
}
