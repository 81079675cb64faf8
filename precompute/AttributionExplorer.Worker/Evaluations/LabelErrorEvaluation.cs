using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Evaluation;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>How well each ranking finds the dataset's known (planted) label errors: TRAK's overall influence, most
/// negative first (full-image and class targets), a model-confidence baseline and random.</summary>
public static class LabelErrorEvaluation
{
    public static LabelErrorResult Run(EvaluationSetup setup, IReadOnlyList<nn.Module<Tensor, Tensor>> checkpoints)
    {
        var context = setup.Context;
        var data = setup.Data;
        var planted = context.Datasets.GetPlantedErrors(data.DatasetId).Select(e => e.ImageId).ToHashSet();
        if (planted.Count == 0)
            throw new InvalidOperationException("the dataset has no known label errors (planted_errors is empty): label-error detection needs them; the demo plants some");
        var ids = data.Train.ImageIds;
        var positives = ids.Select(planted.Contains).ToArray();
        var session = new EvaluationSession(context, data.DatasetId, EvaluationKinds.LabelErrors, new
        {
            setup.Options.Seed, setup.Options.ConfidenceTemperature, checkpoints = checkpoints.Count,
            trakImageRun = data.Run(EvaluationData.Trak, TargetKinds.Image)?.Id, trakClassRun = data.Run(EvaluationData.Trak, TargetKinds.Class)?.Id,
        });
        if (session.IsComplete) return session.Results<LabelErrorResult>();

        var methods = new List<LabelErrorMethodResult>();
        foreach (var (kind, name, description) in new[]
        {
            (TargetKinds.Image, "trak_overall", "TRAK overall influence (full-image targets), most negative first"),
            (TargetKinds.Class, "trak_class_overall", "TRAK overall influence (class targets), most negative first"),
        })
        {
            var run = data.Run(EvaluationData.Trak, kind);
            if (run is null) continue;
            var overall = context.Attributions.GetOverallInfluence(run.Id, 0, ids.Count).ToDictionary(o => o.TrainImageId, o => (double)o.MeanScore);
            methods.Add(Measure(name, description, ids.Select(id => overall.TryGetValue(id, out var v) ? -v : double.NegativeInfinity).ToArray(), positives));
        }
        var quality = session.Step("confidence", () => LabelQualityScorer.Score(checkpoints, data.Train, setup.Options.ConfidenceTemperature));
        methods.Add(Measure("model_confidence", $"model confidence: soft-minimum (T = {setup.Options.ConfidenceTemperature}) of the annotated class's pixel probabilities, lowest first",
            quality.Select(q => 1 - q).ToArray(), positives));
        var random = new Random(setup.Options.Seed);
        methods.Add(Measure("random", "random order (seeded)", ids.Select(_ => random.NextDouble()).ToArray(), positives));

        var result = new LabelErrorResult(ids.Count, planted.Count(p => ids.Contains(p)), methods);
        session.Complete(result);
        return result;
    }

    private static LabelErrorMethodResult Measure(string method, string description, double[] suspicion, bool[] positives)
    {
        int n = suspicion.Length;
        int at5 = Math.Max(1, (int)Math.Round(0.05 * n)), at10 = Math.Max(1, (int)Math.Round(0.10 * n));
        return new LabelErrorMethodResult(method, description,
            DetectionMetrics.PrecisionAt(suspicion, positives, at5), DetectionMetrics.PrecisionAt(suspicion, positives, at10),
            DetectionMetrics.RecallAt(suspicion, positives, at10), DetectionMetrics.Auroc(suspicion, positives),
            DetectionMetrics.AveragePrecision(suspicion, positives), DetectionMetrics.PrecisionCurve(suspicion, positives));
    }
}
