using AttributionExplorer.Precompute.Tests.Pipeline;
using AttributionExplorer.Worker.Evaluations;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins;
using AttributionExplorer.Worker.Plugins.Influence;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Evaluations;

/// <summary>Which stored orders curation may use as they are, and the held-out-restricted recomputation of the
/// influence detector, on a tiny demo.</summary>
public class CurationOrdersTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-cur").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void InfluenceIsFoundToUseHeldOutTargetsAndIsRecomputedOverTheGivenHalfOnly()
    {
        var options = TinyDemo.Options(root);
        var context = new PipelineContext(options);
        var (dataset, trakImageRun) = TinyDemo.Run(context);
        var influence = context.Ledger.Get(context.RankingRuns.GetLatestComplete(dataset.Id, InfluenceDetector.Name, TrainRankingTargets.Kind)!.Id)!;
        var confidence = context.RankingRuns.GetLatestComplete(dataset.Id, "confidence", TrainRankingTargets.Kind)!;

        Assert.Equal([influence.Id, trakImageRun], HeldOutDependence.PathToHeldOutTargets(context, influence.Id));
        Assert.Null(HeldOutDependence.PathToHeldOutTargets(context, confidence.Id));

        // Over every held-out image, the recomputation is the stored order (computed by the storage's summary).
        var targets = context.Scores.GetTargetsOfRun(trakImageRun);
        var all = targets.Select(t => t.ImageId).ToHashSet();
        var stored = context.TrainRankings.Page(influence.Id, 0, int.MaxValue).Select(o => o.TrainImageId).ToList();
        Assert.Equal(stored, new InfluenceDetector().MostSuspectFirst(context, influence, all));

        // Over two of the images: the mean of those two targets' scores only, brute force, most negative first.
        var half = all.Order().Take(2).ToHashSet();
        var order = context.RankingRuns.GetTrainOrder(trakImageRun);
        var mean = new Dictionary<long, double>();
        foreach (var target in targets.Where(t => half.Contains(t.ImageId)))
        {
            var scores = context.Scores.GetScores(target.Id);
            for (int i = 0; i < order.Count; i++) mean[order[i]] = mean.GetValueOrDefault(order[i]) + scores[i] / 2.0;
        }
        var restricted = new InfluenceDetector().MostSuspectFirst(context, influence, half);
        Assert.Equal(order.Count, restricted.Count);
        for (int i = 1; i < restricted.Count; i++) Assert.True(mean[restricted[i - 1]] <= mean[restricted[i]] + 1e-6);
        Assert.NotEqual(stored, restricted);

        // The held-out-object detector and the queue default (which combines it) recompute to their stored orders over
        // every held-out image, and differ over two of them; confidence and self-influence use no held-out image.
        foreach (var name in new[] { Worker.Plugins.HeldOutObjects.HeldOutObjectDetector.Name, Worker.Plugins.Suspect.SuspectDetector.Name })
        {
            var run = context.Ledger.Get(context.RankingRuns.GetLatestComplete(dataset.Id, name, TrainRankingTargets.Kind)!.Id)!;
            var detector = PluginRegistry.Method(name);
            Assert.NotNull(HeldOutDependence.PathToHeldOutTargets(context, run.Id));
            var storedOrder = context.TrainRankings.Page(run.Id, 0, int.MaxValue).Select(o => o.TrainImageId).ToList();
            Assert.Equal(storedOrder, HeldOutDependence.MostSuspectFirst(context, detector, run, all));
            Assert.NotEqual(storedOrder, HeldOutDependence.MostSuspectFirst(context, detector, run, half));
        }
        Assert.Equal(Worker.Plugins.Suspect.SuspectDetector.Name, CurationOrders.DefaultDetector().Info.Name);
        foreach (var name in new[] { "confidence", Worker.Plugins.SelfInfluence.SelfInfluenceDetector.Name })
            Assert.Null(HeldOutDependence.PathToHeldOutTargets(context, context.RankingRuns.GetLatestComplete(dataset.Id, name, TrainRankingTargets.Kind)!.Id));

        // An order that is no train-image detector is named with its key before anything is retrained.
        options.Evaluation.Curation.Orders = ["tarot"];
        var data = new EvaluationData(context, dataset, options.Demo.Model, options.Evaluation.Seed);
        var setup = new EvaluationSetup(context, data, options.Demo.Model, options.Demo.Training, options.Evaluation);
        var error = Assert.Throws<ArgumentException>(() => CurationEvaluation.Compute(setup));
        Assert.Contains("AttributionExplorer:Evaluation:Curation:Orders: 'tarot' is not a train-image ranking method", error.Message);
    }
}
