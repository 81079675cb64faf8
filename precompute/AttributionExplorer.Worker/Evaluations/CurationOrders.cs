using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Plugins;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>The orders a curation evaluation removes training images by: each configured detector's ranking, most
/// suspect first, as training positions. A detector that scored with held-out targets is recomputed over the
/// selection half (<see cref="IHeldOutRestrictable"/>), so that no order has seen the images mIoU is measured on.</summary>
public static class CurationOrders
{
    private const string Key = "AttributionExplorer:Evaluation:Curation:Orders";

    public const string StoredSource = "stored ranking (uses no held-out images)";
    public const string RestrictedSource = "recomputed over the selection half (the detector scores with held-out targets)";

    /// <summary>The queue's default detector (<see cref="RankingMethodInfo.QueueDefault"/>; the first train-image
    /// detector when none is marked, as the queue page falls back).</summary>
    public static IRankingMethod DefaultDetector() =>
        PluginRegistry.RankingMethods.FirstOrDefault(m => m.Info.Scope == RankingScope.TrainImages && m.Info.QueueDefault)
        ?? PluginRegistry.RankingMethods.First(m => m.Info.Scope == RankingScope.TrainImages);

    public static IReadOnlyList<(CurationOrder Order, int[] MostSuspectFirst)> Resolve(EvaluationSetup setup, IReadOnlySet<long> selection)
    {
        var context = setup.Context;
        var data = setup.Data;
        var dataset = context.Datasets.Get(data.DatasetId)!;
        var position = data.Train.ImageIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var detectors = PluginRegistry.RankingMethods.Where(m => m.Info.Scope == RankingScope.TrainImages).ToList();
        var result = new List<(CurationOrder, int[])>();
        string defaultName = DefaultDetector().Info.Name;
        foreach (string name in setup.Options.Curation.Orders)
        {
            var method = name == CurationOptions.DefaultDetector ? DefaultDetector()
                : detectors.FirstOrDefault(d => d.Info.Name == name) ?? throw new ArgumentException(
                    $"{Key}: '{name}' is not a train-image ranking method; registered: {string.Join(", ", detectors.Select(d => d.Info.Name))} (or '{CurationOptions.DefaultDetector}')");
            string methodName = method.Info.Name;
            // "default" and the default's own name are one order, measured once.
            if (result.Any(r => r.Item1.Name == methodName)) continue;
            var ranking = context.RankingRuns.GetLatestComplete(data.DatasetId, methodName, TrainRankingTargets.Kind) ?? throw new InvalidOperationException(
                $"{Key}: '{name}' has no complete ranking on dataset '{dataset.Name}'; run `precompute rank {methodName} --dataset {dataset.Name}` first");
            var run = context.Ledger.Get(ranking.Id)!;
            bool restricted = HeldOutDependence.PathToHeldOutTargets(context, run.Id) is not null;
            IReadOnlyList<long> ids;
            try { ids = HeldOutDependence.MostSuspectFirst(context, method, run, selection); }
            catch (InvalidOperationException e) when (method is not IHeldOutRestrictable)
            {
                throw new InvalidOperationException($"{Key}: {e.Message}; its stored order has seen the images curation measures on, so it is not evaluated", e);
            }
            string source = restricted ? RestrictedSource : StoredSource;
            var order = ids.Where(position.ContainsKey).Select(id => position[id]).ToArray();
            if (order.Length != position.Count || order.Distinct().Count() != order.Length)
                throw new InvalidOperationException($"{Key}: '{methodName}' (run {run.Id}) ranks {order.Length} of the {position.Count} training images; rerun `precompute rank {methodName}`");
            result.Add((new CurationOrder(methodName, methodName == defaultName, run.Id, source), order));
        }
        return result;
    }
}
