using AttributionExplorer.Core.Domain;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>The target kind of a ranking run that orders all training images (a TrainImages-scope detector), and how
/// such a run is written and read back.</summary>
public static class TrainRankingTargets
{
    public const string Kind = "train";

    /// <summary>Records ledger run <paramref name="runId"/> as a train-image ranking: training images ordered by
    /// <paramref name="suspicion"/> (highest first, ties by position), each stored with its score in the detector's own
    /// units (<paramref name="shown"/>; the suspicion itself when null).</summary>
    public static TrainRankingResult Write(PipelineContext context, long datasetId, long runId, string method, IReadOnlyList<long> trainImageIds,
        IReadOnlyList<double> suspicion, IReadOnlyList<double>? shown = null)
    {
        if (suspicion.Count != trainImageIds.Count) throw new ArgumentException($"{suspicion.Count} scores for {trainImageIds.Count} training images");
        var order = Enumerable.Range(0, suspicion.Count).OrderByDescending(i => suspicion[i]).ThenBy(i => i).ToList();
        context.RankingRuns.Begin(runId, datasetId, method, Kind, trainImageIds);
        context.TrainRankings.Write(runId, order.Select(i => (trainImageIds[i], (float)(shown ?? suspicion)[i])).ToList());
        return new TrainRankingResult(suspicion.Count);
    }

    /// <summary>The ids in the order <see cref="Write"/> stores them: highest suspicion first, ties by position.</summary>
    public static IReadOnlyList<long> MostSuspectFirst(IReadOnlyList<long> trainImageIds, IReadOnlyList<double> suspicion) =>
        Enumerable.Range(0, suspicion.Count).OrderByDescending(i => suspicion[i]).ThenBy(i => i).Select(i => trainImageIds[i]).ToList();

    /// <summary>The dataset's training image ids in the order every train-side computation uses (the database's, as
    /// <see cref="Precompute.Data.DatabaseExamples.Load"/> reads them).</summary>
    public static IReadOnlyList<long> TrainImageIds(PipelineContext context, DatasetInfo dataset)
    {
        int total = context.Datasets.CountImages(dataset.Id, Splits.Train);
        var ids = new List<long>(total);
        for (int offset = 0; offset < total; offset += 1000)
            ids.AddRange(context.Datasets.GetImages(dataset.Id, Splits.Train, offset, 1000).Select(i => i.Id));
        return ids;
    }

    /// <summary>A complete train-image ranking as a suspicion per training image (in <paramref name="trainImageIds"/>
    /// order): n − rank + 1, so the most suspect gets the largest value. Rank combinations read detectors this way.</summary>
    public static double[] Suspicion(PipelineContext context, long runId, IReadOnlyList<long> trainImageIds)
    {
        var rankOf = context.TrainRankings.Page(runId, 0, int.MaxValue).ToDictionary(r => r.TrainImageId, r => r.Rank);
        return trainImageIds.Select(id => rankOf.TryGetValue(id, out int rank) ? (double)(trainImageIds.Count - rank + 1)
            : throw new InvalidOperationException($"ranking run {runId} has no row for training image {id}")).ToArray();
    }

}

/// <summary>A TrainImages-scope ranking method (a label-error detector) whose complete run for the configured inputs
/// can be asked for, so that combinations build on exactly the runs of the current checkpoints.</summary>
public interface ITrainImageDetector : IRankingMethod
{
    /// <summary>Computes or reuses the detector's run for the configured checkpoints; returns it.</summary>
    Core.Runs.RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes);

    string IRankingMethod.Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var run = Ensure(context, dataset, sizes);
        return $"run {run.Id}: {context.TrainRankings.Count(run.Id)} images";
    }
}

/// <summary>A detector that can be recomputed under part of the ensemble (one half of a split-half), so a combination
/// of detectors can measure its own split-half reliability.</summary>
public interface IEnsemblePartScorable
{
    /// <summary>The suspicion of every training image (in <see cref="TrainRankingTargets.TrainImageIds"/> order, higher =
    /// more suspect) computed from <paramref name="checkpoints"/> only, for the inputs of its complete run <paramref name="run"/>.</summary>
    double[] SuspicionUnder(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, Core.Runs.RunRecord run, IReadOnlyList<CheckpointRecord> checkpoints);
}

/// <summary>The target kind of a ranking run that orders the training split's annotations (a TrainObjects detector).</summary>
public static class TrainObjectTargets
{
    public const string Kind = "train-objects";
}

/// <summary>What a train-image ranking run records as its result.</summary>
public sealed record TrainRankingResult(int Images);
