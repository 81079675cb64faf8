using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using AttributionExplorer.Worker.Pipeline.Trak.Sharded;
using AttributionExplorer.Worker.Plugins;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Pipeline.Trak.Sharded;

/// <summary>TRAK in 3 shards over a shared directory against the single-process TRAK of the same tiny demo (two copies
/// of one trained database): same run identities, scores within 1e-4; shards that finished are skipped, a corrupt or
/// partial one is redone; merge refuses a missing or corrupt shard and then records nothing.</summary>
public class ShardedTrakTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-sharded").FullName;
    private string Shared => Path.Combine(root, "shared");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private static AppOptions Options(string side) => new()
    {
        DatabasePath = Path.Combine(side, "attribution.db"),
        DataRoot = Path.Combine(side, "data"),
        Demo = new DemoOptions
        {
            Seed = 5, TrainImages = 18, ValImages = 3, ImageSize = 48, LabelErrorRate = 0.1,
            Model = new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] },
            Training = new TrainingOptions { Epochs = 2, BatchSize = 8, LearningRate = 2e-3, Seeds = [0, 1], TrajectoryEpochs = 1 },
            Trak = new TrakOptions { ProjectionDim = 24, ProjectionKind = "structured", GradientBatchSize = 2, TopK = 5, FeaturizeRangeSize = 9 },
        },
    };

    /// <summary>Trains once, then copies the database and data folder into "single" and "sharded".</summary>
    private (PipelineContext Single, PipelineContext Sharded) TwoCopiesOfATrainedDemo()
    {
        string trained = Path.Combine(root, "trained");
        var context = new PipelineContext(Options(trained));
        var sizes = PipelineSizes.Of(context.Options, demo: true);
        TrainStep.Run(context, DemoStep.EnsureImported(context), sizes.Model, sizes.Training);
        SqliteConnection.ClearAllPools();
        foreach (var side in new[] { "single", "sharded" }) CopyDirectory(trained, Path.Combine(root, side));
        return (new PipelineContext(Options(Path.Combine(root, "single"))), new PipelineContext(Options(Path.Combine(root, "sharded"))));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to));
    }

    private void RunStage(string stage, int shards, PipelineContext context)
    {
        for (int i = 0; i < shards; i++) ShardStages.Run(stage, Shared, new ShardSpec(i, shards), context.Options);
    }

    [Fact]
    public void MergedShardsAreTheSingleProcessRunsAndABrokenShardIsRefusedThenRedone()
    {
        var (single, sharded) = TwoCopiesOfATrainedDemo();
        var dataset = single.RequireDataset(DemoStep.DatasetName);
        var sizes = PipelineSizes.Of(single.Options, demo: true);
        var singleRuns = PluginRegistry.Method(AttributionMethods.Trak).Run(single, dataset, sizes);

        var plan = ShardPlanner.Write(sharded, dataset, sizes, Shared);
        Assert.Equal(4, plan.FeaturizeUnits.Count);
        RunStage(ShardStages.Featurize, 3, sharded);
        RunStage(ShardStages.Finalize, 3, sharded);

        // A score shard that never finished: merge names it and records nothing.
        RunStage(ShardStages.Score, 3, sharded);
        string scoreManifest = Path.Combine(Shared, "score", "shard-1-of-3", ShardManifest.FileName);
        File.Delete(scoreManifest);
        int runsBefore = sharded.Ledger.List(dataset.Id).Count(r => r.IsComplete);
        var missing = Assert.Throws<InvalidDataException>(() => ShardMerge.Run(sharded, Shared));
        Assert.Contains("score shard 1/3 has not finished", missing.Message);
        Assert.Contains(scoreManifest, missing.Message);
        Assert.Equal(runsBefore, sharded.Ledger.List(dataset.Id).Count(r => r.IsComplete));

        // Rerunning the stage skips the finished shards and redoes the one without a manifest.
        var before = ManifestTimes();
        RunStage(ShardStages.Score, 3, sharded);
        var after = ManifestTimes();
        Assert.Equal(before.Where(m => !m.Key.Contains("score/shard-1")), after.Where(m => !m.Key.Contains("score/shard-1")));
        Assert.True(File.Exists(scoreManifest));

        // A features file changed after its shard finished: merge names the file and the shard to rerun.
        string features = Directory.GetFiles(Path.Combine(Shared, "featurize", "shard-2-of-3"), "*.features.bin").Single();
        var bytes = File.ReadAllBytes(features);
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(features, bytes);
        var corrupt = Assert.Throws<InvalidDataException>(() => ShardMerge.Run(sharded, Shared));
        Assert.Contains(features, corrupt.Message);
        Assert.Contains("featurize shard 2/3", corrupt.Message);
        Assert.Contains("SHA-256", corrupt.Message);
        Assert.Equal(runsBefore, sharded.Ledger.List(dataset.Id).Count(r => r.IsComplete));
        // A truncated one (a shard killed mid-copy) too, by its size.
        File.WriteAllBytes(features, bytes[..100]);
        Assert.Contains("has 100 bytes", Assert.Throws<InvalidDataException>(() => ShardMerge.Run(sharded, Shared)).Message);

        // That shard is redone (the others stay), and the merge goes through.
        RunStage(ShardStages.Featurize, 3, sharded);
        Assert.Equal(before.Where(m => m.Key.Contains("featurize") && !m.Key.Contains("shard-2")), ManifestTimes().Where(m => m.Key.Contains("featurize") && !m.Key.Contains("shard-2")));
        var merged = ShardMerge.Run(sharded, Shared);

        Assert.Equal(singleRuns, string.Join(", ", merged.Select(r => $"{r.Key}: run {r.Value}")));
        foreach (var (kind, runId) in merged)
        {
            var run = sharded.Ledger.Get(runId)!;
            Assert.True(run.IsComplete);
            Assert.Equal(single.Ledger.Get(runId)!.Identity, run.Identity);
            Assert.Equal(single.Scores.GetTargetsOfRun(runId).Count, sharded.Scores.GetTargetsOfRun(runId).Count);
        }
        Assert.Equal(sharded.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!.Id, merged[TargetKinds.Image]);
        Assert.NotEmpty(sharded.ScoringMatrices.Get(merged[TargetKinds.Image]));
        var comparisons = ShardComparison.Run(sharded, dataset, single.Database.Path, single.DataRoot);
        Assert.Equal(PluginRegistry.TargetKinds.Select(k => k.Info.Name), comparisons.Select(c => c.Kind));
        Assert.All(comparisons, c =>
        {
            Assert.True(c.SameIdentity);
            Assert.Equal(2, c.Checkpoints);
            Assert.True(c.LargestScore > 0);
            Assert.InRange(c.MaxRelativeDifference, 0, 1e-4);
        });

        // Merging again records nothing new; the single-process step finds the merged runs complete.
        int complete = sharded.Ledger.List(dataset.Id).Count(r => r.IsComplete);
        Assert.Equal(merged, ShardMerge.Run(sharded, Shared));
        Assert.Equal(complete, sharded.Ledger.List(dataset.Id).Count(r => r.IsComplete));
        var again = new PipelineContext(sharded.Options);
        Assert.Equal(singleRuns, PluginRegistry.Method(AttributionMethods.Trak).Run(again, dataset, sizes));
        Assert.Equal(complete, again.Ledger.List(dataset.Id).Count(r => r.IsComplete));
    }

    [Fact]
    public void AMergeOfAPlanForOtherCheckpointsIsRefusedAndAShardOfAnOlderPlanIsRedone()
    {
        var (_, sharded) = TwoCopiesOfATrainedDemo();
        var dataset = sharded.RequireDataset(DemoStep.DatasetName);
        var sizes = PipelineSizes.Of(sharded.Options, demo: true);
        ShardPlanner.Write(sharded, dataset, sizes, Shared);
        string planSha = ShardPlan.Load(Shared).Sha256;
        RunStage(ShardStages.Featurize, 2, sharded);
        Assert.NotNull(ShardManifest.Verify(Shared, ShardStages.Featurize, new ShardSpec(0, 2), planSha, out _));

        // Same inputs: the plan is kept, so are the finished shards.
        ShardPlanner.Write(sharded, dataset, sizes, Shared);
        Assert.Equal(planSha, ShardPlan.Load(Shared).Sha256);

        // Another λ is another computation: a new plan, and the old shards no longer count.
        var other = sizes with { Trak = new TrakOptions { ProjectionDim = 24, ProjectionKind = "structured", GradientBatchSize = 2, TopK = 5, FeaturizeRangeSize = 9, Lambda = 0.01 } };
        ShardPlanner.Write(sharded, dataset, other, Shared);
        string newSha = ShardPlan.Load(Shared).Sha256;
        Assert.NotEqual(planSha, newSha);
        Assert.Null(ShardManifest.Verify(Shared, ShardStages.Featurize, new ShardSpec(0, 2), newSha, out string problem));
        Assert.Contains("another plan", problem);
        Assert.DoesNotContain("skipped", ShardStages.Run(ShardStages.Featurize, Shared, new ShardSpec(0, 2), sharded.Options));
        Assert.NotNull(ShardManifest.Verify(Shared, ShardStages.Featurize, new ShardSpec(0, 2), newSha, out _));

        // A plan naming a checkpoint the database does not have is refused before anything is read from the shards.
        var (plan, _) = ShardPlan.Load(Shared);
        ShardFiles.WriteJson(ShardPlan.Path(Shared), plan with { Checkpoints = [plan.Checkpoints[0] with { Id = 999 }, .. plan.Checkpoints.Skip(1)] });
        Assert.Contains("checkpoint 999", Assert.Throws<InvalidOperationException>(() => ShardMerge.Run(sharded, Shared)).Message);
    }

    private Dictionary<string, DateTime> ManifestTimes() => Directory.GetFiles(Shared, ShardManifest.FileName, SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(Shared, f).Replace('\\', '/'), File.GetLastWriteTimeUtc);
}
