using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Precompute.LabelErrors;

namespace AttributionExplorer.Worker.Study;

public sealed record DetectorFigures(string Name, DetectionFigures Overall, IReadOnlyDictionary<string, Interval> AurocByKind, double? SplitHalfSpearman);

public sealed record EnsembleSizePoint(string Detector, int Runs, int Checkpoints, double Auroc, double AveragePrecision);

public sealed record PairedDifference(string Better, string Baseline, Interval AveragePrecisionDifference);

public sealed record StudyReport(IReadOnlyList<DetectorFigures> Images, IReadOnlyList<DetectorFigures> Objects,
    IReadOnlyList<EnsembleSizePoint> EnsembleSize, IReadOnlyList<PairedDifference> Differences);

/// <summary>Figures of every detector against the planted errors: overall, per kind (that kind's errors against the
/// clean items), split-half stability, AP against the number of ensemble members, paired AP differences.</summary>
public static class StudyFigures
{
    public static StudyReport Build(StudyDataset data, Dictionary<string, double[]> images, Dictionary<string, double[]> objects,
        IReadOnlyList<CheckpointScores> checkpoints, int checkpointsPerRun, IReadOnlyList<HeldOutTarget> targets, int resamples, int seed)
    {
        int n = data.Train.Count;
        var kindOf = new string?[n];
        foreach (var e in data.Errors) kindOf[e.ExampleIndex] = e.Kind;
        var halves = SplitHalves(checkpoints, checkpointsPerRun);
        var halfA = halves.A.Count > 0 ? StudyDetectors.Images(halves.A, targets, null, null) : null;
        var halfB = halves.B.Count > 0 ? StudyDetectors.Images(halves.B, targets, null, null) : null;
        var imageFigures = images.Select(p => Figures(p.Key, p.Value, kindOf, resamples, seed,
            halfA is not null && halfA.TryGetValue(p.Key, out var a) ? RankAgreement.Spearman(a, halfB![p.Key]) : null)).ToList();

        var erroneous = data.Errors.SelectMany(e => e.AnnotationIds.Select(id => (id, e.Kind))).ToDictionary(p => p.id, p => p.Kind);
        var objectKind = data.TrainObjects.Select(o => erroneous.GetValueOrDefault(o.AnnotationId)).ToArray();
        var objectFigures = objectKind.Any(k => k is not null)
            ? objects.Select(p => Figures(p.Key, p.Value, objectKind, resamples, seed, null)).ToList()
            : [];

        var positives = kindOf.Select(k => k is not null).ToArray();
        var sizes = new List<EnsembleSizePoint>();
        int runs = halves.Runs;
        for (int m = 1; m <= runs; m *= 2)
            sizes.AddRange(SizePoints(checkpoints.Take(m * halves.PerRun).ToList(), targets, positives, m));
        if (runs > 0 && (runs & (runs - 1)) != 0) sizes.AddRange(SizePoints(checkpoints.ToList(), targets, positives, runs));
        if (halves.PerRun > 1)
            sizes.AddRange(SizePoints(checkpoints.Where((_, i) => i % halves.PerRun == halves.PerRun - 1).ToList(), targets, positives, runs));

        var differences = new List<PairedDifference>();
        foreach (var better in images.Keys.Where(k => k.StartsWith("max_rank") || k.StartsWith("mean_rank") || k == StudyDetectors.HeldOutObjectClass || k == StudyDetectors.SelfInfluence || k == StudyDetectors.TrainOthers))
            foreach (var baseline in new[] { StudyDetectors.ConfidenceOut, StudyDetectors.ConfidenceIn })
                differences.Add(new PairedDifference(better, baseline, PairedBootstrap.AveragePrecisionDifference(images[better], images[baseline], positives, resamples, seed)));
        return new StudyReport(imageFigures, objectFigures, sizes, differences);
    }

    public static IEnumerable<string> Table(StudyReport report)
    {
        var kinds = report.Images.SelectMany(d => d.AurocByKind.Keys).Distinct().Order().ToList();
        yield return "image detectors: AUROC | AP | P@5% (95% bootstrap intervals) | split-half Spearman | per-kind AUROC " + string.Join(" / ", kinds);
        foreach (var d in report.Images.OrderByDescending(d => d.Overall.AveragePrecision.Estimate))
            yield return Line(d, kinds);
        if (report.Objects.Count > 0)
        {
            var objectKinds = report.Objects.SelectMany(d => d.AurocByKind.Keys).Distinct().Order().ToList();
            yield return "object detectors (annotations that carry an error; missing instances have none): AUROC | AP | P@5% | per-kind AUROC " + string.Join(" / ", objectKinds);
            foreach (var d in report.Objects.OrderByDescending(d => d.Overall.AveragePrecision.Estimate)) yield return Line(d, objectKinds);
        }
        yield return "ensemble size (runs × checkpoints): detector AUROC / AP";
        foreach (var p in report.EnsembleSize) yield return $"  {p.Detector,-40} runs {p.Runs,2} checkpoints {p.Checkpoints,3}: {p.Auroc:0.000} / {p.AveragePrecision:0.000}";
        yield return "paired AP differences (95% interval)";
        foreach (var p in report.Differences) yield return $"  {p.Better} − {p.Baseline}: {p.AveragePrecisionDifference}";
    }

    private static string Line(DetectorFigures d, IReadOnlyList<string> kinds) =>
        $"  {d.Name,-75} {d.Overall.Auroc} | {d.Overall.AveragePrecision} | {d.Overall.PrecisionAt5Percent} | " +
        $"{(d.SplitHalfSpearman is { } s ? s.ToString("0.00") : "–")} | " +
        string.Join(" / ", kinds.Select(k => d.AurocByKind.TryGetValue(k, out var v) ? v.Estimate.ToString("0.00") : "–"));

    private static DetectorFigures Figures(string name, double[] scores, string?[] kindOf, int resamples, int seed, double? splitHalf)
    {
        var positives = kindOf.Select(k => k is not null).ToArray();
        var overall = BootstrapDetection.Evaluate(scores, positives, resamples, seed);
        var byKind = new SortedDictionary<string, Interval>();
        foreach (var kind in kindOf.Where(k => k is not null).Distinct())
        {
            var items = Enumerable.Range(0, scores.Length).Where(i => kindOf[i] is null || kindOf[i] == kind).ToArray();
            var f = BootstrapDetection.Evaluate(items.Select(i => scores[i]).ToArray(), items.Select(i => kindOf[i] == kind).ToArray(), resamples, seed);
            byKind[kind!] = f.Auroc;
        }
        return new DetectorFigures(name, overall, byKind, splitHalf);
    }

    private static IEnumerable<EnsembleSizePoint> SizePoints(IReadOnlyList<CheckpointScores> subset, IReadOnlyList<HeldOutTarget> targets, bool[] positives, int runs)
    {
        var detectors = StudyDetectors.Images(subset, targets, null, null);
        foreach (var name in new[] { StudyDetectors.SelfInfluence, StudyDetectors.HeldOutImageMean, StudyDetectors.HeldOutObjectClass })
            yield return new EnsembleSizePoint(name, runs, subset.Count, DetectionMetrics.Auroc(detectors[name], positives), DetectionMetrics.AveragePrecision(detectors[name], positives));
    }

    /// <summary>Checkpoints are ordered run by run; the halves are the first and the second half of the runs, so the
    /// trajectory checkpoints of one run never sit in both halves.</summary>
    private static (List<CheckpointScores> A, List<CheckpointScores> B, int Runs, int PerRun) SplitHalves(IReadOnlyList<CheckpointScores> checkpoints, int perRun)
    {
        int runs = checkpoints.Count / perRun;
        if (runs < 2) return ([], [], runs, perRun);
        int half = runs / 2 * perRun;
        return (checkpoints.Take(half).ToList(), checkpoints.Skip(half).Take(half).ToList(), runs, perRun);
    }
}
