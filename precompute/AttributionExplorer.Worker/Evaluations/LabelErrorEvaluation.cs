using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>How well each ranking finds the dataset's known (planted or imported) label errors: every registered
/// detector with a complete run, TRAK's overall influence over class targets, and random. Figures come with 95%
/// bootstrap intervals, the AP gain over the confidence detector with a paired interval, and AUROC per error kind.</summary>
public sealed class LabelErrorEvaluation : Plugins.IEvaluation
{
    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.LabelErrors);

    public string Run(EvaluationSetup setup) => Describe(Compute(setup));

    private static string Describe(LabelErrorResult r) =>
        $"{r.PlantedErrors} known errors in {r.TrainImages}: " + string.Join("; ", r.Methods.Select(m =>
            $"{m.Method} P@5% {m.PrecisionAt5Percent:F2} AUROC {m.Auroc:F2} AP {m.Auprc:F2}" +
            (m.ApGainOverConfidence is { } g ? $" (AP − confidence {g})" : "")));

    public static LabelErrorResult Compute(EvaluationSetup setup)
    {
        var context = setup.Context;
        var data = setup.Data;
        var known = context.Datasets.GetPlantedErrors(data.DatasetId).GroupBy(e => e.ImageId).ToDictionary(g => g.Key, g => g.First().Kind);
        if (known.Count == 0)
            throw new InvalidOperationException("the dataset has no known label errors (planted_errors is empty): label-error detection needs them; the demo plants some, import-coco --planted-errors imports a list");
        var ids = data.Train.ImageIds;
        var positives = ids.Select(known.ContainsKey).ToArray();
        if (positives.All(p => p)) throw new InvalidOperationException("every training image is listed as a label error: nothing to rank them against");
        var kindOf = ids.Select(id => known.GetValueOrDefault(id)).ToArray();
        var detectors = Plugins.PluginRegistry.RankingMethods.Where(m => m.Info.Scope == Core.Plugins.RankingScope.TrainImages).ToList();
        return EvaluationSession.Run(setup, EvaluationKinds.LabelErrors, new
        {
            setup.Options.Seed, resamples = BootstrapDetection.DefaultResamples,
            detectorRuns = DetectorRuns(context, data.DatasetId), trakClassRun = data.Run(EvaluationData.Trak, TargetKinds.Class)?.Id,
        }, session =>
        {
            var rankings = new List<(string Method, string Description, double[] Suspicion)>();
            // Every registered detector (TrainImages-scope ranking) with a complete run, ranked as stored (rank 1 = most suspect),
            // and TRAK's overall influence over class targets.
            foreach (var detector in detectors)
                if (context.RankingRuns.GetLatestComplete(data.DatasetId, detector.Info.Name, Plugins.TrainRankingTargets.Kind) is { } run)
                    rankings.Add((detector.Info.Name, detector.Info.Title, Suspicion(context, run.Id, ids)));
            if (data.Run(EvaluationData.Trak, TargetKinds.Class) is { } classRun)
                rankings.Add(("trak_class_overall", "TRAK overall influence (class targets), most negative first", Suspicion(context, classRun.Id, ids)));
            var random = new Random(setup.Options.Seed);
            rankings.Add(("random", "random order (seeded)", ids.Select(_ => random.NextDouble()).ToArray()));

            var confidence = rankings.FirstOrDefault(r => r.Method == Plugins.Confidence.ConfidenceRanking.Name).Suspicion;
            var methods = rankings.Select(r => Measure(r.Method, r.Description, r.Suspicion, positives, kindOf, setup.Options.Seed,
                confidence is null || r.Method == Plugins.Confidence.ConfidenceRanking.Name ? null : confidence)).ToList();
            var byKind = known.Where(k => ids.Contains(k.Key)).GroupBy(k => k.Value).ToDictionary(g => g.Key, g => g.Count());
            var standard = detectors.FirstOrDefault(d => d.Info.QueueDefault)?.Info;
            return new LabelErrorResult(ids.Count, positives.Count(p => p), methods, byKind, standard?.Name, standard?.Evidence);
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

    private static LabelErrorMethodResult Measure(string method, string description, double[] suspicion, bool[] positives, string?[] kindOf,
        int seed, double[]? confidence)
    {
        int n = suspicion.Length;
        int at5 = Math.Max(1, (int)Math.Round(0.05 * n)), at10 = Math.Max(1, (int)Math.Round(0.10 * n));
        var byKind = kindOf.OfType<string>().Distinct().Order().ToDictionary(kind => kind, kind =>
        {
            // That kind's errors against the clean images; errors of other kinds are left out.
            var items = Enumerable.Range(0, n).Where(i => kindOf[i] is null || kindOf[i] == kind).ToArray();
            return DetectionMetrics.Auroc(items.Select(i => suspicion[i]).ToArray(), items.Select(i => kindOf[i] == kind).ToArray());
        });
        return new LabelErrorMethodResult(method, description,
            DetectionMetrics.PrecisionAt(suspicion, positives, at5), DetectionMetrics.PrecisionAt(suspicion, positives, at10),
            DetectionMetrics.RecallAt(suspicion, positives, at10), DetectionMetrics.Auroc(suspicion, positives),
            DetectionMetrics.AveragePrecision(suspicion, positives), DetectionMetrics.PrecisionCurve(suspicion, positives),
            BootstrapDetection.Evaluate(suspicion, positives, seed: seed),
            confidence is null ? null : PairedBootstrap.AveragePrecisionDifference(suspicion, confidence, positives, seed: seed),
            byKind);
    }
}
