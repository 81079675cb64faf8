using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins.Confidence;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Plugins.ObjectConfidence;

/// <summary>Object-level label-error detector: per annotation (non-crowd, training split), the soft-minimum over the
/// annotation's own pixels of the ensemble's probability of its own class; lowest first. It points at the annotation to
/// fix, not only the image: a wrong class, a shifted or over-grown mask, a shape drawn on background. A missing
/// instance has no annotation to rank; the image-level detectors find those.</summary>
public sealed class ObjectConfidenceDetector : IRankingMethod
{
    public const string Name = "object-confidence";

    public RankingMethodInfo Info { get; } = new(Name, "Object confidence (per annotation)",
        "Per annotation, the soft-minimum over its own pixels of the ensemble's probability of its own class (T = 0.1); lowest first: the annotations the models most disagree with.",
        RankingScope.TrainObjects, Signed: false, [], 20, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var finals = ConfidenceRanking.FinalCheckpoints(TrainStep.Run(context, dataset, sizes.Model, sizes.Training));
        var parameters = new ObjectConfidenceParameters(finals.Select(c => c.RunId).ToArray(), LabelQualityScorer.DefaultTemperature);
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, parameters.CheckpointRunIds, scope =>
        {
            var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
            var objects = Objects(context, dataset, train);
            using var models = new LoadedCheckpoints(context, finals);
            double[] Quality(IReadOnlyList<CheckpointRecord> ensemble)
            {
                var members = models.PredictionsOf(ensemble, dataset, Splits.Train, train);
                return Precompute.LabelErrors.ObjectConfidence.Score(train, objects, _ => members, parameters.Temperature);
            }
            var quality = StepProgress.Run("object confidence", 1, _ => Quality(finals));
            var order = Enumerable.Range(0, objects.Count).OrderBy(i => quality[i]).ThenBy(i => i).ToList();
            context.RankingRuns.Begin(scope.RunId, dataset.Id, Name, TrainObjectTargets.Kind, train.ImageIds);
            context.TrainRankings.WriteObjects(scope.RunId, order.Select(i => (objects[i].AnnotationId, train.ImageIds[objects[i].ExampleIndex], (float)quality[i])).ToList());
            context.RankingRuns.RecordReliability(scope.RunId, Core.Stability.SplitHalf.Measure(finals, Quality));
            return new TrainRankingResult(objects.Count);
        });
        return $"run {outcome.Run.Id}: {outcome.Result.Images} annotations{(outcome.Reused ? " (reused)" : "")}";
    }

    /// <summary>Every non-crowd annotation of the training split that keeps a pixel at model resolution.</summary>
    public static IReadOnlyList<TrainObject> Objects(PipelineContext context, DatasetInfo dataset, InMemorySegmentationSource train)
    {
        var modelIndex = context.Datasets.GetCategories(dataset.Id).ToDictionary(c => c.CocoId, c => c.ModelIndex);
        var annotations = context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train);
        var images = context.Datasets.GetImagesByIds(train.ImageIds.ToList()).ToDictionary(i => i.Id);
        var objects = new List<TrainObject>();
        for (int e = 0; e < train.Count; e++)
        {
            var image = images[train.ImageIds[e]];
            foreach (var a in annotations.GetValueOrDefault(image.Id, []).Where(a => !a.IsCrowd))
            {
                var mask = DatabaseExamples.ResampleMask(RleCodec.Decode(a.Mask), image.Height, image.Width, train.Size);
                if (mask.Any(m => m)) objects.Add(new TrainObject(a.Id, e, modelIndex[a.CategoryCocoId], mask));
            }
        }
        return objects;
    }

    private sealed record ObjectConfidenceParameters(long[] CheckpointRunIds, double Temperature) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "per annotation: soft-minimum over its pixels of the mean ensemble probability of its class";
        public string Order => "lowest first";
    }
}
