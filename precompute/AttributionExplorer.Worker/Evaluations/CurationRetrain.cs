using System.Text.Json;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Evaluation;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>What one curation model is: the retraining schedule, its seed, the training images removed and the
/// held-out images its mIoU is measured on. A run of its own, so an identical model (the 0% model, or the same order's
/// removal) is reused by every curation run that needs it, whatever other orders that run compares.</summary>
public sealed record CurationRetrainParameters(JsonElement Schedule, int Seed, long[] RemovedTrainImageIds, long[] EvaluationImageIds) : IRunParameters
{
    public string RunKind => "retrain.curation";
}

public sealed record CurationRetrainResult(double MeanIou);

public static class CurationRetrain
{
    /// <summary>mIoU on <paramref name="evaluationIndices"/> (held-out positions) of a model retrained with
    /// <paramref name="seed"/> without the training positions <paramref name="removed"/>.</summary>
    public static double MeanIou(EvaluationSetup setup, int seed, int[] removed, int[] evaluationIndices)
    {
        var data = setup.Data;
        var dataset = setup.Context.Datasets.Get(data.DatasetId)!;
        var parameters = new CurationRetrainParameters(JsonSerializer.SerializeToElement(setup.Common), seed,
            removed.Select(i => data.Train.ImageIds[i]).Order().ToArray(), evaluationIndices.Select(i => data.Val.ImageIds[i]).Order().ToArray());
        return setup.Context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], _ =>
        {
            using var model = setup.Retrain(SubsetTrainer.Without(data.Train.Count, removed), seed);
            return new CurationRetrainResult(SegmentationPredictor.Evaluate(model, data.Val.Select(evaluationIndices)));
        }).Result.MeanIou;
    }
}
