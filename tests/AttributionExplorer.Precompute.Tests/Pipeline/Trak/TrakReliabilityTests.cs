using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using AttributionExplorer.Worker.Plugins;
using AttributionExplorer.Worker.Plugins.Confidence;
using Microsoft.Data.Sqlite;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Pipeline.Trak;

/// <summary>Split-half reliability and the regime warning end to end on the tiny demo with three seeds × two trajectory
/// checkpoints (halves: seeds 0 and 2 against seed 1, a run's checkpoints never split). The stored figures are
/// recomputed by brute force from the per-checkpoint score artifacts (and, for the confidence and loss detectors, from
/// each half's models), with a Spearman written here from its definition. n = 20 train images
/// against k = 64 projected dimensions is a degenerate kernel (n &lt; 4k): the CLI and the stored figures must say so.</summary>
public class TrakReliabilityTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-reliability").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void StoredSplitHalvesMatchABruteForceRecomputationAndTheDegenerateKernelIsReported()
    {
        var options = TinyDemo.Options(root);
        options.Demo.Training.Seeds = [0, 1, 2];
        var context = new PipelineContext(options);
        var dataset = DemoStep.EnsureImported(context);
        var sizes = PipelineSizes.Of(options, demo: true);
        foreach (string method in new[] { "trak", "influence", "confidence", "loss", "self-influence", "heldout-objects", "suspect" })
            DemoPipeline.RunMethod(context, dataset, sizes, PluginRegistry.Method(method));

        var checkpoints = context.Checkpoints.List(dataset.Id);
        Assert.Equal(new[] { 0, 0, 1, 1, 2, 2 }, checkpoints.Select(c => c.Seed).Order());
        var halfA = checkpoints.Where(c => c.Seed != 1).ToList();
        var halfB = checkpoints.Where(c => c.Seed == 1).ToList();
        var trak = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        var targets = context.Scores.GetTargetsOfRun(trak.Id);
        int n = trak.TrainCount;

        // Per target: Spearman of the mean score over half A's checkpoints and over half B's.
        var perCheckpoint = checkpoints.ToDictionary(c => c.Id, c => LoadScores(context, trak.Id, c.Id, targets.Count, n));
        double[] HalfMean(IReadOnlyList<CheckpointRecord> half, int t) =>
            Enumerable.Range(0, n).Select(i => half.Average(c => (double)perCheckpoint[c.Id][t * n + i])).ToArray();
        for (int t = 0; t < targets.Count; t++)
            Assert.Equal(Spearman(HalfMean(halfA, t), HalfMean(halfB, t)), targets[t].SplitHalf!.Value, 6);

        // The run's (and the influence detector's) ordering: overall influence = mean over targets, per half.
        double[] Overall(IReadOnlyList<CheckpointRecord> half) =>
            Enumerable.Range(0, n).Select(i => Enumerable.Range(0, targets.Count).Average(t => HalfMean(half, t)[i])).ToArray();
        double expectedOverall = Spearman(Overall(halfA), Overall(halfB));
        var runReliability = context.RankingRuns.GetReliability(trak.Id)!;
        Assert.Equal(expectedOverall, runReliability.SplitHalf!.Value, 6);
        Assert.Equal("half A: seeds 0, 2 (4 checkpoints); half B: seed 1 (2 checkpoints)", runReliability.Detail);
        var influence = context.RankingRuns.GetLatestComplete(dataset.Id, "influence", "train")!;
        Assert.Equal(runReliability, context.RankingRuns.GetReliability(influence.Id));

        // Confidence and loss (final checkpoint of each run): each detector computed from each half's models.
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
        double[] WithModels(IReadOnlyList<CheckpointRecord> half, Func<IReadOnlyList<nn.Module<Tensor, Tensor>>, double[]> detector)
        {
            var models = half.Select(c => (nn.Module<Tensor, Tensor>)TrainStep.Load(context, c)).ToList();
            try { return detector(models); }
            finally { models.ForEach(m => m.Dispose()); }
        }
        double[] Quality(IReadOnlyList<CheckpointRecord> half) => WithModels(ConfidenceRanking.FinalCheckpoints(half), m => global::AttributionExplorer.Precompute.Evaluation.LabelQualityScorer.Score(m, train));
        Assert.Equal(Spearman(Quality(halfA), Quality(halfB)), Reliability("confidence").SplitHalf!.Value, 6);
        double[] Loss(IReadOnlyList<CheckpointRecord> half) => WithModels(ConfidenceRanking.FinalCheckpoints(half), m => MeanPixelLoss.Compute(m, train));
        Assert.Equal(Spearman(Loss(halfA), Loss(halfB)), Reliability("loss").SplitHalf!.Value, 6);
        Core.Stability.Reliability Reliability(string method) =>
            context.RankingRuns.GetReliability(context.RankingRuns.GetLatestComplete(dataset.Id, method, "train")!.Id)!;
        // The TRAK-kernel and held-out detectors record a figure too; the combination, recomputed from each half's
        // components, records its own and names its components'.
        Assert.All(new[] { "self-influence", "heldout-objects", "suspect" }, m => Assert.InRange(Reliability(m).SplitHalf!.Value, -1, 1));
        Assert.Contains("its components: confidence ", Reliability("suspect").Detail);

        // The degenerate regime: stored per checkpoint with the TRAK run and its influence detector, and printed by the CLI.
        var kernels = context.RankingRuns.GetKernels(trak.Id);
        Assert.Equal(checkpoints.Select(c => c.Id).Order(), kernels.Select(k => k.CheckpointId));
        Assert.All(kernels, k => Assert.Equal((20, 64), (k.TrainImages, k.ProjectionDim)));
        Assert.All(kernels, k => Assert.Contains(k.Warnings(), w => w.Contains("n = 20 train images for k = 64 projected dimensions (n/k = 0.31 < 4)")));
        // ΦᵀΦ is 64×64 of rank ≤ 20: at least 44 of its eigenvalues lie below any positive ridge.
        Assert.All(kernels, k => Assert.True(k.EigenvaluesBelowRidge >= 44, $"{k.EigenvaluesBelowRidge} eigenvalues below the ridge"));
        Assert.Equal(kernels, context.RankingRuns.GetKernels(influence.Id));
        Assert.All(new[] { "self-influence", "heldout-objects", "suspect" }, m =>
            Assert.Equal(kernels, context.RankingRuns.GetKernels(context.RankingRuns.GetLatestComplete(dataset.Id, m, "train")!.Id)));
        Assert.Equal(checkpoints.Count, context.Warnings.Distinct().Count(w => w.StartsWith("TRAK kernel of checkpoint") && w.Contains("n/k = 0.31 < 4")));
    }

    private static float[] LoadScores(PipelineContext context, long runId, long checkpointId, int targets, int n)
    {
        var artifact = context.Ledger.Artifacts(runId).Single(a => a.Name == $"checkpoint{checkpointId}");
        using var scores = ScoringMatrixFile.Load(context.Artifacts.Verified(artifact, "test"), targets, n, artifact.Sha256);
        return scores.data<float>().ToArray();
    }

    /// <summary>Spearman from its definition: Pearson correlation of mid-ranks (rank = 1 + #smaller + (#equal − 1)/2).</summary>
    private static double Spearman(double[] x, double[] y)
    {
        double[] Ranks(double[] v) => v.Select(a => 1 + v.Count(b => b < a) + (v.Count(b => b == a) - 1) / 2.0).ToArray();
        var (rx, ry) = (Ranks(x), Ranks(y));
        double mx = rx.Average(), my = ry.Average();
        double cov = rx.Zip(ry).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(rx.Sum(a => (a - mx) * (a - mx)) * ry.Sum(b => (b - my) * (b - my)));
    }
}
