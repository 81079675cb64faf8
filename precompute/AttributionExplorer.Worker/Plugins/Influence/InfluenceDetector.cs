using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins.Trak;

namespace AttributionExplorer.Worker.Plugins.Influence;

/// <summary>Label-error detector: a training image's mean TRAK score over the held-out full-image targets, most
/// negative first (the images that most lower the model's output on held-out data).</summary>
public sealed class InfluenceDetector : IRankingMethod, IHeldOutRestrictable
{
    public const string Name = "influence";

    public RankingMethodInfo Info { get; } = new(Name, "TRAK influence (mean over held-out images)",
        "Mean TRAK score over the held-out full-image targets; most negative first: these images most lower the model's output on held-out data.",
        RankingScope.TrainImages, Signed: true, [], 10, $"{PluginRegistry.Cli} rank influence --dataset NAME");

    public string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var trak = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image);
        if (trak is null)
        {
            new TrakMethod().Run(context, dataset, sizes);
            trak = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        }
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, new InfluenceParameters(), [trak.Id], scope =>
        {
            var ranked = context.TrainRankings.Page(trak.Id, 0, int.MaxValue);
            context.RankingRuns.Begin(scope.RunId, dataset.Id, Name, TrainRankingTargets.Kind, context.RankingRuns.GetTrainOrder(trak.Id));
            context.TrainRankings.Write(scope.RunId, ranked.Select(r => (r.TrainImageId, r.MeanScore)).ToList());
            // The ordering is the TRAK run's overall influence, so its split-half (mean over the image targets' scores of
            // each half of the ensemble) and its kernels are this run's too.
            context.RankingRuns.RecordReliability(scope.RunId, context.RankingRuns.GetReliability(trak.Id)
                ?? Reliability.None($"TRAK run {trak.Id} recorded no split-half (it predates reliability figures; rerun `precompute trak`)"));
            context.RankingRuns.RecordKernels(scope.RunId, context.RankingRuns.GetKernels(trak.Id));
            return new TrainRankingResult(ranked.Count);
        });
        return $"run {outcome.Run.Id}: {outcome.Result.Images} images{(outcome.Reused ? " (reused)" : "")}";
    }

    /// <summary>The same mean as the stored run's (a float of the double sum over the stored scores, ties by training
    /// order), over the held-out image targets in <paramref name="heldOutImageIds"/> only.</summary>
    public IReadOnlyList<long> MostSuspectFirst(PipelineContext context, RunRecord run, IReadOnlySet<long> heldOutImageIds)
    {
        long trakRunId = run.Upstream.Single();
        var order = context.RankingRuns.GetTrainOrder(trakRunId);
        var sums = new double[order.Count];
        var targets = context.Scores.GetTargetsOfRun(trakRunId).Where(t => heldOutImageIds.Contains(t.ImageId)).ToList();
        if (targets.Count == 0) throw new InvalidOperationException($"TRAK run {trakRunId} has no image target among the {heldOutImageIds.Count} held-out images asked for");
        foreach (var target in targets)
        {
            var scores = context.Scores.GetScores(target.Id);
            for (int i = 0; i < sums.Length; i++) sums[i] += scores[i];
        }
        var means = sums.Select(s => (float)(s / targets.Count)).ToArray();
        return Enumerable.Range(0, order.Count).OrderBy(i => means[i]).ThenBy(i => i).Select(i => order[i]).ToList();
    }

    private sealed record InfluenceParameters : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "mean TRAK score over held-out full-image targets";
        public string Order => "most negative first";
    }
}
