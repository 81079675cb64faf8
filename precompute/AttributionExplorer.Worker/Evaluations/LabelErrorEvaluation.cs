using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Evaluation;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>How well each ranking finds the dataset's known (planted) label errors: TRAK's overall influence, most
/// negative first (full-image and class targets), a model-confidence baseline and random.</summary>
public sealed class LabelErrorEvaluation : Plugins.IEvaluation
{
    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.LabelErrors);

    /// <summary>Loads the dataset's checkpoints (the configured seeds) for the confidence baseline, then measures.</summary>
    public string Run(EvaluationSetup setup)
    {
        var context = setup.Context;
        var dataset = context.Datasets.Get(setup.Data.DatasetId)!;
        var checkpoints = Pipeline.TrainStep.Existing(context, dataset, setup.Model, setup.TrainingOfCheckpoints);
        var networks = checkpoints.Select(c => (nn.Module<Tensor, Tensor>)Pipeline.TrainStep.Load(context, c, context.Device)).ToList();
        try { return Describe(Compute(setup, networks)); }
        finally { foreach (var n in networks) n.Dispose(); }
    }

    private static string Describe(LabelErrorResult r) =>
        $"{r.PlantedErrors} known errors in {r.TrainImages}: " + string.Join("; ", r.Methods.Select(m => $"{m.Method} P@5% {m.PrecisionAt5Percent:F2} AUROC {m.Auroc:F2} AP {m.Auprc:F2}"));

    public static LabelErrorResult Compute(EvaluationSetup setup, IReadOnlyList<nn.Module<Tensor, Tensor>> checkpoints)
    {
        var context = setup.Context;
        var data = setup.Data;
        var planted = context.Datasets.GetPlantedErrors(data.DatasetId).Select(e => e.ImageId).ToHashSet();
        if (planted.Count == 0)
            throw new InvalidOperationException("the dataset has no known label errors (planted_errors is empty): label-error detection needs them; the demo plants some");
        var ids = data.Train.ImageIds;
        var positives = ids.Select(planted.Contains).ToArray();
        return EvaluationSession.Run(setup, EvaluationKinds.LabelErrors, new
        {
            setup.Options.Seed, setup.Options.ConfidenceTemperature, checkpoints = checkpoints.Count,
            detectorRuns = DetectorRuns(context, data.DatasetId), trakClassRun = data.Run(EvaluationData.Trak, TargetKinds.Class)?.Id,
        }, session =>
        {
            var methods = new List<LabelErrorMethodResult>();
            // Every registered detector (TrainImages-scope ranking) with a complete run, ranked as stored (rank 1 = most suspect),
            // and TRAK's overall influence over class targets.
            foreach (var detector in Plugins.PluginRegistry.RankingMethods.Where(m => m.Info.Scope == Core.Plugins.RankingScope.TrainImages))
                if (context.RankingRuns.GetLatestComplete(data.DatasetId, detector.Info.Name, Plugins.TrainRankingTargets.Kind) is { } run)
                    methods.Add(Measure(detector.Info.Name, detector.Info.Title, Suspicion(context, run.Id, ids), positives));
            if (data.Run(EvaluationData.Trak, TargetKinds.Class) is { } classRun)
                methods.Add(Measure("trak_class_overall", "TRAK overall influence (class targets), most negative first", Suspicion(context, classRun.Id, ids), positives));
            var quality = session.Step("confidence", () => LabelQualityScorer.Score(checkpoints, data.Train, setup.Options.ConfidenceTemperature));
            methods.Add(Measure("model_confidence", $"model confidence: soft-minimum (T = {setup.Options.ConfidenceTemperature}) of the annotated class's pixel probabilities, lowest first",
                quality.Select(q => 1 - q).ToArray(), positives));
            var random = new Random(setup.Options.Seed);
            methods.Add(Measure("random", "random order (seeded)", ids.Select(_ => random.NextDouble()).ToArray(), positives));

            var result = new LabelErrorResult(ids.Count, planted.Count(p => ids.Contains(p)), methods);
            return result;
        });
    }

    private static IReadOnlyList<long> DetectorRuns(Pipeline.PipelineContext context, long datasetId) =>
        Plugins.PluginRegistry.RankingMethods.Where(m => m.Info.Scope == Core.Plugins.RankingScope.TrainImages)
            .Select(m => context.RankingRuns.GetLatestComplete(datasetId, m.Info.Name, Plugins.TrainRankingTargets.Kind)?.Id)
            .OfType<long>().ToList();

    /// <summary>Higher = more suspect: minus the stored rank (images missing from the ranking come last).</summary>
    private static double[] Suspicion(Pipeline.PipelineContext context, long runId, IReadOnlyList<long> ids)
    {
        var rank = context.TrainRankings.Page(runId, 0, int.MaxValue).ToDictionary(o => o.TrainImageId, o => (double)o.Rank);
        return ids.Select(id => rank.TryGetValue(id, out var r) ? -r : double.NegativeInfinity).ToArray();
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
