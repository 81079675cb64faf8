using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Curation (seed 000): held-out images split in two halves at random; overall influence = mean full-image
/// TRAK score over the selection half; remove the most negative N% of the training set, retrain with each seed, and
/// measure mIoU on the evaluation half. The control removes the same numbers of training images in a random order.</summary>
public sealed class CurationEvaluation : Plugins.IEvaluation
{
    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.Curation);

    public string Run(EvaluationSetup setup) => Describe(Compute(setup));

    private static string Describe(CurationResult r) =>
        string.Join(", ", r.Points.Select(p => $"{p.PercentRemoved}%: {p.MeanIou.Mean:F3}±{p.MeanIou.StandardError:F3}")) +
        (r.GainAt50 is { } g ? $"; gain at 50% {g.Mean:+0.000;-0.000}±{g.StandardError:F3}" : "") +
        (r.RandomPoints is { Count: > 0 } random ? "; random removal " + string.Join(", ", random.Select(p => $"{p.PercentRemoved}%: {p.MeanIou.Mean:F3}±{p.MeanIou.StandardError:F3}")) : "") +
        (r.GainOverRandomAt50 is { } h ? $"; vs random at 50% {h.Mean:+0.000;-0.000}±{h.StandardError:F3}" : "");

    public static CurationResult Compute(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Curation;
        var images = data.ImageTargets.ToArray();
        new Random(setup.Options.Seed).Shuffle(images);
        var selection = images[..(images.Length / 2)];
        var evaluation = images[(images.Length / 2)..];
        if (selection.Length == 0 || evaluation.Length == 0) throw new InvalidOperationException("curation needs at least 2 held-out images with TRAK targets");
        return EvaluationSession.Run(setup, EvaluationKinds.Curation, new
        {
            common = setup.Common, options.Percents, options.Seeds, selection = selection.Select(t => t.ImageId).Order(),
            trakImageRun = data.Run(EvaluationData.Trak, Core.Domain.TargetKinds.Image)!.Id, control = "random removal",
        }, session =>
        {
            int n = data.Train.Count;
            var overall = new double[n];
            foreach (var target in selection)
            {
                var scores = data.Scores(EvaluationData.Trak, target)!;
                for (int i = 0; i < n; i++) overall[i] += scores[i] / selection.Length;
            }
            var mostNegativeFirst = Enumerable.Range(0, n).OrderBy(i => overall[i]).ThenBy(i => i).ToArray();
            var heldOut = data.Val.Select(evaluation.Select(t => t.ValIndex).ToArray());

            var randomOrder = Enumerable.Range(0, n).ToArray();
            new Random(setup.Options.Seed + 1).Shuffle(randomOrder);
            int nonZero = options.Percents.Count(p => p > 0);
            var (points, randomPoints) = StepProgress.Run("eval curation", (options.Percents.Length + nonZero) * options.Seeds.Length, report =>
            {
                int done = 0;
                List<CurationPoint> Curve(string name, int[] order, bool skipZero)
                {
                    var list = new List<CurationPoint>();
                    foreach (int percent in options.Percents.Where(p => !skipZero || p > 0))
                    {
                        int removed = (int)Math.Round(percent / 100.0 * n);
                        var keep = SubsetTrainer.Without(n, order.Take(removed));
                        // 0% removes nothing whatever the order, so both curves share that model.
                        string key = percent == 0 ? $"p0:s" : $"{name}p{percent}:s";
                        var perSeed = options.Seeds.Select(seed => session.Step(key + seed, () =>
                        {
                            using var model = setup.Retrain(keep, seed);
                            return SegmentationPredictor.Evaluate(model, heldOut);
                        }).Also(_ => report(++done, $"{(name == "" ? "most negative" : "random")} {percent}% removed, seed {seed}"))).ToArray();
                        list.Add(new CurationPoint(percent, removed, MeanWithError.Of(perSeed), perSeed));
                    }
                    return list;
                }
                return (Curve("", mostNegativeFirst, false), Curve("random:", randomOrder, true));
            });
            var zero = points.FirstOrDefault(p => p.PercentRemoved == 0);
            if (zero is not null) randomPoints.Insert(0, zero);
            var fifty = points.FirstOrDefault(p => p.PercentRemoved == 50);
            var randomFifty = randomPoints.FirstOrDefault(p => p.PercentRemoved == 50);
            var result = new CurationResult(selection.Length, evaluation.Length, points, Paired(fifty, zero), randomPoints, Paired(fifty, randomFifty));
            return result;
        });
    }

    private static MeanWithError? Paired(CurationPoint? a, CurationPoint? b) =>
        a is null || b is null ? null : MeanWithError.Of(a.PerSeed.Zip(b.PerSeed, (x, y) => x - y).ToArray());
}
