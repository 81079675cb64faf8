using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Curation (seed 000): held-out images split in two halves at random; overall influence = mean full-image
/// TRAK score over the selection half; remove the most negative N% of the training set, retrain with each seed, and
/// measure mIoU on the evaluation half.</summary>
public static class CurationEvaluation
{
    public static CurationResult Run(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Curation;
        var images = data.ImageTargets.ToArray();
        new Random(setup.Options.Seed).Shuffle(images);
        var selection = images[..(images.Length / 2)];
        var evaluation = images[(images.Length / 2)..];
        if (selection.Length == 0 || evaluation.Length == 0) throw new InvalidOperationException("curation needs at least 2 held-out images with TRAK targets");
        var session = new EvaluationSession(setup.Context, data.DatasetId, EvaluationKinds.Curation, new
        {
            common = setup.Common, options.Percents, options.Seeds, selection = selection.Select(t => t.ImageId).Order(),
            trakImageRun = data.Run(EvaluationData.Trak, Core.Domain.TargetKinds.Image)!.Id,
        });
        if (session.IsComplete) return session.Results<CurationResult>();

        int n = data.Train.Count;
        var overall = new double[n];
        foreach (var target in selection)
        {
            var scores = data.Scores(EvaluationData.Trak, target)!;
            for (int i = 0; i < n; i++) overall[i] += scores[i] / selection.Length;
        }
        var mostNegativeFirst = Enumerable.Range(0, n).OrderBy(i => overall[i]).ThenBy(i => i).ToArray();
        var heldOut = data.Val.Select(evaluation.Select(t => t.ValIndex).ToArray());

        var points = StepProgress.Run("eval curation", options.Percents.Length * options.Seeds.Length, report =>
        {
            var list = new List<CurationPoint>();
            int done = 0;
            foreach (int percent in options.Percents)
            {
                int removed = (int)Math.Round(percent / 100.0 * n);
                var keep = SubsetTrainer.Without(n, mostNegativeFirst.Take(removed));
                var perSeed = options.Seeds.Select(seed => session.Step($"p{percent}:s{seed}", () =>
                {
                    using var model = setup.Retrain(keep, seed);
                    return SegmentationPredictor.Evaluate(model, heldOut);
                }).Also(_ => report(++done, $"{percent}% removed, seed {seed}"))).ToArray();
                list.Add(new CurationPoint(percent, removed, MeanWithError.Of(perSeed), perSeed));
            }
            return list;
        });
        var zero = points.FirstOrDefault(p => p.PercentRemoved == 0);
        var fifty = points.FirstOrDefault(p => p.PercentRemoved == 50);
        var gain = zero is null || fifty is null ? null : MeanWithError.Of(fifty.PerSeed.Zip(zero.PerSeed, (a, b) => a - b).ToArray());
        var result = new CurationResult(selection.Length, evaluation.Length, points, gain);
        session.Complete(result);
        return result;
    }
}

internal static class Chaining
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
