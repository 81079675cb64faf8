using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Core.LabelErrors;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;

namespace AttributionExplorer.Worker.Plugins.HeldOutObjects;

/// <summary>Label-error detector: TRAK scores of the held-out object targets (one per held-out annotation: the true
/// class's log-odds over its pixels), averaged per class; an image's suspicion is its most negative class mean. A
/// wrong mask lowers the held-out outputs of the class it is wrong about; averaging over every class would dilute
/// that. It finds missing instances and under-segmentation, which confidence misses.</summary>
public sealed class HeldOutObjectDetector : ITrainImageDetector, IHeldOutRestrictable, IEnsemblePartScorable
{
    public const string Name = "heldout-objects";

    public RankingMethodInfo Info { get; } = new(Name, "TRAK influence on held-out objects (worst class)",
        "Per class, the mean TRAK score over the held-out objects of that class; the most negative class mean, most negative first: images that most lower the model's output on objects of some class.",
        RankingScope.TrainImages, Signed: true, [], 13, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var checkpoints = TrainStep.Run(context, dataset, sizes.Model, sizes.Training);
        long objectRun = TrakStep.Run(context, dataset, sizes.Trak, checkpoints, PluginRegistry.TargetKinds)[TargetKinds.Object];
        return context.Runs.Execute(dataset.Id, dataset.Version, new HeldOutObjectParameters(objectRun), [objectRun], scope =>
        {
            var ids = TrainRankingTargets.TrainImageIds(context, dataset);
            var (rows, classes) = ScoresInOrder(context, objectRun, ids);
            var suspicion = InfluenceAggregation.NegatedMostNegativeGroupMean(rows, classes);
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, ids, suspicion, suspicion.Select(s => -s).ToList());
            context.RankingRuns.RecordReliability(scope.RunId, SplitHalf.Measure(checkpoints, half => HalfSuspicion(context, objectRun, half, ids, classes)));
            context.RankingRuns.RecordKernels(scope.RunId, context.RankingRuns.GetKernels(objectRun));
            return result;
        }).Run;
    }

    /// <summary>The same order computed from the object targets of the held-out images <paramref name="heldOutImageIds"/> only.</summary>
    public IReadOnlyList<long> MostSuspectFirst(PipelineContext context, RunRecord run, IReadOnlySet<long> heldOutImageIds)
    {
        long objectRun = RunParameters.Read<HeldOutObjectParameters>(run).ObjectRunId;
        var ids = TrainRankingTargets.TrainImageIds(context, context.Datasets.Get(run.DatasetId)!);
        var (rows, classes) = ScoresInOrder(context, objectRun, ids, heldOutImageIds);
        return TrainRankingTargets.MostSuspectFirst(ids, InfluenceAggregation.NegatedMostNegativeGroupMean(rows, classes));
    }

    public double[] SuspicionUnder(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, RunRecord run, IReadOnlyList<CheckpointRecord> checkpoints)
    {
        long objectRun = RunParameters.Read<HeldOutObjectParameters>(run).ObjectRunId;
        var ids = TrainRankingTargets.TrainImageIds(context, dataset);
        var (_, classes) = ScoresInOrder(context, objectRun, ids);
        return HalfSuspicion(context, objectRun, checkpoints, ids, classes);
    }

    /// <summary>The detector computed from the object run's scores under some of its checkpoints only (their mean, read
    /// back from the run's per-checkpoint artifacts): what a split-half compares.</summary>
    private static double[] HalfSuspicion(PipelineContext context, long runId, IReadOnlyList<CheckpointRecord> half, IReadOnlyList<long> trainImageIds, List<int> classes)
    {
        var runOrder = context.RankingRuns.GetTrainOrder(runId);
        var position = runOrder.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        int n = runOrder.Count, targets = classes.Count;
        var perCheckpoint = half.Select(c => TrakScoreStage.CheckpointScores(context, runId, c.Id, targets, n)).ToList();
        var rows = Enumerable.Range(0, targets).Select(t => trainImageIds
            .Select(id => (float)perCheckpoint.Average(scores => scores[t * n + position[id]])).ToArray()).ToList();
        return InfluenceAggregation.NegatedMostNegativeGroupMean(rows, classes).ToArray();
    }

    /// <summary>Every object target's score row (of the held-out images <paramref name="heldOutImageIds"/>, all when
    /// null), re-ordered to <paramref name="trainImageIds"/>, with its class.</summary>
    public static (List<float[]> Rows, List<int> Classes) ScoresInOrder(PipelineContext context, long runId, IReadOnlyList<long> trainImageIds,
        IReadOnlySet<long>? heldOutImageIds = null)
    {
        var runOrder = context.RankingRuns.GetTrainOrder(runId);
        var position = runOrder.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var index = trainImageIds.Select(id => position.TryGetValue(id, out int i) ? i
            : throw new InvalidOperationException($"TRAK run {runId} has no score for training image {id}: the dataset changed; rerun `precompute rank trak`")).ToArray();
        var rows = new List<float[]>();
        var classes = new List<int>();
        foreach (var target in context.Scores.GetTargetsOfRun(runId).Where(t => heldOutImageIds?.Contains(t.ImageId) ?? true))
        {
            var scores = context.Scores.GetScores(target.Id);
            rows.Add(index.Select(i => scores[i]).ToArray());
            classes.Add(target.CategoryCocoId ?? throw new InvalidDataException($"object target {target.Id} of run {runId} has no category"));
        }
        if (rows.Count == 0) throw new InvalidOperationException($"TRAK run {runId} has no object targets");
        return (rows, classes);
    }

    private sealed record HeldOutObjectParameters(long ObjectRunId) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "per class of the held-out object targets, mean TRAK score; the most negative class mean";
        public string Order => "most negative first";
    }
}
