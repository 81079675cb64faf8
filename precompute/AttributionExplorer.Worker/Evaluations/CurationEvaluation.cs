using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Curation: the held-out images are split in two halves at random (seeded); each order (a label-error
/// detector's ranking, most suspect first, or a seeded random order per retraining seed) removes its first N% of the
/// training images; a model is retrained per seed and its mIoU measured on the evaluation half. Orders that score
/// with held-out targets are recomputed over the selection half only (<see cref="CurationOrders"/>). Per cell: mean
/// with a Student-t interval over seeds; per order and percent: differences paired by seed against nothing removed,
/// random removal and the confidence detector.</summary>
public sealed class CurationEvaluation : Plugins.IEvaluation
{
    public const string Interval = "Student t over retraining seeds";

    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.Curation);

    public string Run(EvaluationSetup setup) => Describe(Compute(setup));

    private static string Describe(CurationResult r) =>
        $"none {Figure(r.Baseline.MeanIou)}; " + string.Join("; ", r.Cells.Where(c => c.Order != CurationOptions.Random).Select(c =>
            $"{c.Order} {c.PercentRemoved}% {Figure(c.MeanIou)}" +
            (r.Differences.FirstOrDefault(d => d.Order == c.Order && d.PercentRemoved == c.PercentRemoved && d.Against == CurationOptions.Random) is { } d
                ? $" (vs random {Signed(d.Difference)})" : "")));

    private static string Figure(MeanInterval m) => $"{m.Mean:F3} [{m.Low:F3}, {m.High:F3}]";
    private static string Signed(MeanInterval m) => $"{m.Mean:+0.000;-0.000} [{m.Low:+0.000;-0.000}, {m.High:+0.000;-0.000}]";

    public static CurationResult Compute(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Curation;
        var heldOutIds = data.Val.ImageIds.ToArray();
        new Random(setup.Options.Seed).Shuffle(heldOutIds);
        var selection = heldOutIds[..(heldOutIds.Length / 2)].ToHashSet();
        var evaluationIndices = Enumerable.Range(0, data.Val.Count).Where(i => !selection.Contains(data.Val.ImageIds[i])).ToArray();
        if (selection.Count == 0 || evaluationIndices.Length == 0) throw new InvalidOperationException("curation needs at least 2 held-out images");

        var detectors = CurationOrders.Resolve(setup, selection);
        int n = data.Train.Count;
        var seeds = options.Seeds;
        var percents = options.Percents.Where(p => p > 0).Order().Select(p => (Percent: p, Removed: (int)Math.Round(p / 100.0 * n))).ToList();
        var orders = detectors.Select(d => d.Order).Append(new CurationOrder(CurationOptions.Random, false, null,
            $"seeded at random per retraining seed (Random({setup.Options.Seed} × 1000003 + seed))")).ToList();
        return EvaluationSession.Run(setup, EvaluationKinds.Curation, new
        {
            common = setup.Common, seeds, percents = percents.Select(p => p.Percent), removed = percents.Select(p => p.Removed),
            orders, options.Level, interval = Interval,
            selection = selection.Order(), evaluation = evaluationIndices.Length,
        }, session =>
        {
            int total = seeds.Length * (1 + percents.Count * orders.Count), done = 0;
            var perSeed = new Dictionary<(string, int), double[]>();
            foreach (var order in orders) foreach (var (p, _) in percents) perSeed[(order.Name, p)] = new double[seeds.Length];
            var baseline = new double[seeds.Length];
            StepProgress.Run("eval curation", total, report =>
            {
                // Seed by seed, so an interrupted run has whole seeds (every cell) done first.
                for (int s = 0; s < seeds.Length; s++)
                {
                    int seed = seeds[s];
                    double Measure(string key, int[] removed, string what) =>
                        session.Step(key, () => CurationRetrain.MeanIou(setup, seed, removed, evaluationIndices))
                            .Also(_ => report(++done, $"{what}, seed {seed}"));

                    baseline[s] = Measure($"{CurationTable.None}:s{seed}", [], "nothing removed");
                    var random = Enumerable.Range(0, n).ToArray();
                    new Random(unchecked(setup.Options.Seed * 1_000_003 + seed)).Shuffle(random);
                    var orderOf = detectors.ToDictionary(d => d.Order.Name, d => d.MostSuspectFirst);
                    orderOf[CurationOptions.Random] = random;
                    // The largest removal first: it is the headline figure, and its models train on the fewest images.
                    foreach (var (percent, removed) in percents.OrderByDescending(p => p.Percent))
                        foreach (var order in orders)
                            perSeed[(order.Name, percent)][s] = Measure($"{order.Name}:p{percent}:s{seed}", orderOf[order.Name][..removed], $"{order.Name} {percent}% removed");
                }
                return 0;
            });
            var confidence = orders.Any(o => o.Name == Plugins.Confidence.ConfidenceRanking.Name) ? Plugins.Confidence.ConfidenceRanking.Name : null;
            var (cells, differences) = CurationTable.Build(orders.Select(o => o.Name).ToList(), percents, baseline, perSeed,
                CurationOptions.Random, confidence, options.Level);
            return new CurationResult(selection.Count, evaluationIndices.Length, seeds, Interval, orders,
                new CurationCell(CurationTable.None, 0, 0, MeanInterval.Of(baseline, options.Level), baseline), cells, differences);
        });
    }
}
