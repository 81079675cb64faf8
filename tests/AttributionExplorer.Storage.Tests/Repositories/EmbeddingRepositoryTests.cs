using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class EmbeddingRepositoryTests
{
    [Fact]
    public void SetsRoundTripAndTheNewestIsLatest()
    {
        using var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long datasetId = datasets.Import(TempDatabase.SampleImport());
        var images = datasets.GetImages(datasetId, Splits.Train, 0, 10);
        var repo = new EmbeddingRepository(db.Database);

        long older = repo.Save(datasetId, EmbeddingKinds.Moco, "enc-a.bin", "{}", "ha", [(images[0].Id, [1f, 0f]), (images[1].Id, [0f, 1f])]);
        long newer = repo.Save(datasetId, EmbeddingKinds.Moco, "enc-b.bin", "{}", "hb", [(images[0].Id, [0.6f, 0.8f])]);

        Assert.Equal(newer, repo.GetLatest(datasetId, EmbeddingKinds.Moco)!.Id);
        Assert.Null(repo.GetLatest(datasetId, EmbeddingKinds.Clip));
        var found = repo.FindByHash(datasetId, EmbeddingKinds.Moco, "ha")!;
        Assert.Equal((older, 2, "enc-a.bin"), (found.Id, found.Dim, found.Source));
        var vectors = repo.GetVectors(older);
        Assert.Equal(new[] { 0f, 1f }, vectors[images[1].Id]);
    }

    [Fact]
    public void RaggedVectorsAreRejectedAndNothingIsWritten()
    {
        using var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long datasetId = datasets.Import(TempDatabase.SampleImport());
        var images = datasets.GetImages(datasetId, Splits.Train, 0, 10);
        var repo = new EmbeddingRepository(db.Database);
        var e = Assert.Throws<ArgumentException>(() =>
            repo.Save(datasetId, EmbeddingKinds.Clip, "x.npy", "{}", "h", [(images[0].Id, [1f, 0f]), (images[1].Id, [1f])]));
        Assert.Contains($"image {images[1].Id}", e.Message);
        Assert.Null(repo.GetLatest(datasetId, EmbeddingKinds.Clip));
    }
}
