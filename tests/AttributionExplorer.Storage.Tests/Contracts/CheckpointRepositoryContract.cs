using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Checkpoints carry their training run; List shows only those whose run is complete.</summary>
public abstract class CheckpointRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private static CheckpointRecord Checkpoint(IStorageUnderTest s, long datasetId, long runId, int seed) =>
        new(0, datasetId, seed, Path.Combine(s.DataRoot, "checkpoints", $"m{seed}.bin"), 0.5, "{\"lr\":1}", 2.5,
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), runId);

    [SkippableFact]
    public void CheckpointsOfCompleteTrainingRunsAreListedAndEveryOneIsFoundByItsRun()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long complete = 0;
        var completeRun = CompleteRun(s, d, "train", seed: 1, body: run => complete = s.Checkpoints.Add(Checkpoint(s, d.Id, run, 1)));
        var running = s.Ledger.Ensure(d.Id, "train", "seed-2", "{}", []);
        Assert.NotNull(s.Ledger.TryClaim(running.Id, Worker, TimeSpan.FromMinutes(5), DateTime.UtcNow));
        long writing = s.Checkpoints.Add(Checkpoint(s, d.Id, running.Id, 2));

        var listed = Assert.Single(s.Checkpoints.List(d.Id));
        Assert.Equal(Checkpoint(s, d.Id, completeRun.Id, 1) with { Id = complete }, listed);
        Assert.Equal(writing, s.Checkpoints.FindByRun(running.Id)!.Id);
        Assert.Equal(complete, s.Checkpoints.FindByRun(completeRun.Id)!.Id);
        Assert.Equal(2, s.Checkpoints.Get(writing)!.Seed);
        Assert.Null(s.Checkpoints.Get(writing + 1000));
        Assert.Null(s.Checkpoints.FindByRun(running.Id + 1000));

        s.Ledger.Complete(running.Id, Worker, "{}", 1);
        Assert.Equal(new[] { complete, writing }, s.Checkpoints.List(d.Id).Select(c => c.Id));
        Assert.Empty(s.Checkpoints.List(d.Id + 1));
    }

    /// <summary>A run's trajectory: several checkpoints with their epochs, listed by run in epoch order, whatever order
    /// they were written in.</summary>
    [SkippableFact]
    public void ATrainingRunsTrajectoryCheckpointsAreListedInEpochOrder()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var ids = new Dictionary<int, long>();
        var run = CompleteRun(s, d, "train", seed: 3, body: r =>
        {
            foreach (int epoch in new[] { 8, 6, 7 })
                ids[epoch] = s.Checkpoints.Add(Checkpoint(s, d.Id, r, 3) with { Path = Path.Combine(s.DataRoot, "checkpoints", $"e{epoch}.bin"), Epoch = epoch });
        });

        var trajectory = s.Checkpoints.ListByRun(run.Id);
        Assert.Equal(new[] { 6, 7, 8 }, trajectory.Select(c => c.Epoch));
        Assert.Equal(new[] { ids[6], ids[7], ids[8] }, trajectory.Select(c => c.Id));
        Assert.Equal(Path.Combine(s.DataRoot, "checkpoints", "e7.bin"), trajectory[1].Path);
        Assert.Equal(new[] { 6, 7, 8 }, s.Checkpoints.List(d.Id).OrderBy(c => c.Epoch).Select(c => c.Epoch));
        Assert.Empty(s.Checkpoints.ListByRun(run.Id + 1000));
    }

    [SkippableFact]
    public void ACheckpointOfAFailedRunIsNotListed()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        Assert.Throws<IOException>(() => Executor(s).Execute<TestRunParameters, int>(d.Id, d.Version, new TestRunParameters("train"), [], scope =>
        {
            s.Checkpoints.Add(Checkpoint(s, d.Id, scope.RunId, 0));
            throw new IOException("disk full");
        }));
        Assert.Empty(s.Checkpoints.List(d.Id));
        Assert.Equal(RunState.Failed, s.Ledger.List(d.Id).Single().State);
    }

    [SkippableFact]
    public void PredictionsRoundTripThroughCompression()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long ckpt = 0;
        CompleteRun(s, d, "train", body: run => ckpt = s.Checkpoints.Add(Checkpoint(s, d.Id, run, 1)));
        var labels = Enumerable.Range(0, 64).Select(i => (byte)(i % 3)).ToArray();
        s.Checkpoints.SavePredictions([new PredictionRecord(ckpt, d.Val[0], 8, 8, labels)]);
        var prediction = s.Checkpoints.GetPrediction(ckpt, d.Val[0])!;
        Assert.Equal(labels, prediction.Labels);
        Assert.Equal((8, 8), (prediction.Width, prediction.Height));
        Assert.Null(s.Checkpoints.GetPrediction(ckpt, d.Val[1]));
        // Saving again replaces; a label map of the wrong size is rejected.
        s.Checkpoints.SavePredictions([new PredictionRecord(ckpt, d.Val[0], 8, 8, new byte[64])]);
        Assert.All(s.Checkpoints.GetPrediction(ckpt, d.Val[0])!.Labels, l => Assert.Equal(0, l));
        Assert.Throws<ArgumentException>(() => s.Checkpoints.SavePredictions([new PredictionRecord(ckpt, d.Val[1], 8, 8, new byte[63])]));
        Assert.Null(s.Checkpoints.GetPrediction(ckpt, d.Val[1]));
    }
}
