using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Embedding sets carry the run that wrote them; readers of the latest set see only complete runs.</summary>
public abstract class EmbeddingRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    [SkippableFact]
    public void SetsRoundTripAndTheNewestCompleteIsLatest()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var train = d.Train;
        long older = 0, newer = 0;
        var olderRun = CompleteRun(s, d, "embed.moco", seed: 1, body: run =>
            older = s.Embeddings.Save(run, d.Id, EmbeddingKinds.Moco, "enc-a.bin", "{}", [(train[0], [1f, 0f]), (train[1], [0f, 1f])]));
        var newerRun = CompleteRun(s, d, "embed.moco", seed: 2, body: run =>
            newer = s.Embeddings.Save(run, d.Id, EmbeddingKinds.Moco, "enc-b.bin", "{\"s\":2}", [(train[0], [0.6f, 0.8f])]));

        var latest = s.Embeddings.GetLatest(d.Id, EmbeddingKinds.Moco)!;
        // A source under the data root is stored relative to it and read back as a full path.
        Assert.Equal((newer, newerRun.Id, 2, Path.Combine(s.DataRoot, "enc-b.bin"), "{\"s\":2}"), (latest.Id, latest.RunId, latest.Dim, latest.Source, latest.ParametersJson));
        Assert.Null(s.Embeddings.GetLatest(d.Id, EmbeddingKinds.Clip));
        var found = s.Embeddings.FindByRun(olderRun.Id)!;
        Assert.Equal((older, 2, Path.Combine(s.DataRoot, "enc-a.bin"), EmbeddingKinds.Moco, d.Id), (found.Id, found.Dim, found.Source, found.Kind, found.DatasetId));
        Assert.Equal(olderRun.Identity, found.ParametersHash);
        var vectors = s.Embeddings.GetVectors(older);
        Assert.Equal(2, vectors.Count);
        Assert.Equal(new[] { 0f, 1f }, vectors[train[1]]);
        Assert.Null(s.Embeddings.FindByRun(newerRun.Id + 1000));
    }

    [SkippableFact]
    public void ASetOfARunThatIsNotCompleteIsNotLatestButItsRunFindsIt()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var complete = CompleteRun(s, d, "embed.moco", seed: 1, body: run =>
            s.Embeddings.Save(run, d.Id, EmbeddingKinds.Moco, "a", "{}", [(d.Train[0], [1f])]));
        var running = s.Ledger.Ensure(d.Id, "embed.moco", "running", "{}", []);
        Assert.NotNull(s.Ledger.TryClaim(running.Id, Worker, TimeSpan.FromMinutes(5), DateTime.UtcNow));
        long set = s.Embeddings.Save(running.Id, d.Id, EmbeddingKinds.Moco, "b", "{}", [(d.Train[0], [2f])]);

        Assert.Equal(complete.Id, s.Embeddings.GetLatest(d.Id, EmbeddingKinds.Moco)!.RunId);
        Assert.Equal(set, s.Embeddings.FindByRun(running.Id)!.Id);
        // A retried run replaces what its interrupted attempt wrote.
        long again = s.Embeddings.Save(running.Id, d.Id, EmbeddingKinds.Moco, "c", "{}", [(d.Train[1], [3f])]);
        Assert.Equal((Path.Combine(s.DataRoot, "c"), again), (s.Embeddings.FindByRun(running.Id)!.Source, s.Embeddings.FindByRun(running.Id)!.Id));
        s.Ledger.Complete(running.Id, Worker, "{}", 1);
        Assert.Equal(again, s.Embeddings.GetLatest(d.Id, EmbeddingKinds.Moco)!.Id);
        Assert.Equal(new[] { d.Train[1] }, s.Embeddings.GetVectors(again).Keys);
    }

    [SkippableFact]
    public void RaggedOrEmptyVectorsAreRejectedAndNothingIsWritten()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        var run = s.Ledger.Ensure(d.Id, "embed.clip", "x", "{}", []);
        var e = Assert.Throws<ArgumentException>(() =>
            s.Embeddings.Save(run.Id, d.Id, EmbeddingKinds.Clip, "x.npy", "{}", [(d.Train[0], [1f, 0f]), (d.Train[1], [1f])]));
        Assert.Contains($"image {d.Train[1]}", e.Message);
        Assert.Throws<ArgumentException>(() => s.Embeddings.Save(run.Id, d.Id, EmbeddingKinds.Clip, "x.npy", "{}", []));
        Assert.Null(s.Embeddings.GetLatest(d.Id, EmbeddingKinds.Clip));
        Assert.Null(s.Embeddings.FindByRun(run.Id));
    }
}
