using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class DatasetRepositoryTests
{
    [Fact]
    public void ImportRoundTripsImagesMasksCategoriesAndPlantedErrors()
    {
        using var db = new TempDatabase();
        var repo = new DatasetRepository(db.Database);
        long id = repo.Import(TempDatabase.SampleImport());

        Assert.Equal("sample", repo.Get(id)!.Name);
        Assert.Equal(new[] { 1, 2 }, repo.GetCategories(id).Select(c => c.ModelIndex));
        Assert.Equal(4, repo.CountImages(id, Splits.Train));
        var page = repo.GetImages(id, Splits.Train, 1, 2);
        Assert.Equal(new long[] { 101, 102 }, page.Select(i => i.CocoId));
        var annotations = repo.GetAnnotations(page[0].Id);
        var annotation = Assert.Single(annotations);
        Assert.True(annotation.IsCrowd);
        Assert.Equal(90, annotation.CategoryCocoId);
        Assert.Equal(new[] { false, true, true, false, true, false }, RleCodec.Decode(annotation.Mask));
        Assert.Equal(4, repo.GetAnnotationsForSplit(id, Splits.Train).Count);
        var error = Assert.Single(repo.GetPlantedErrors(id));
        Assert.Equal(page[0].Id, error.ImageId);
    }

    [Fact]
    public void DuplicateImportLeavesTheDatabaseUnchanged()
    {
        using var db = new TempDatabase();
        var repo = new DatasetRepository(db.Database);
        long id = repo.Import(TempDatabase.SampleImport());
        var error = Assert.Throws<InvalidOperationException>(() => repo.Import(TempDatabase.SampleImport(train: 9)));
        Assert.Contains("sample", error.Message);
        Assert.Single(repo.List());
        Assert.Equal(4, repo.CountImages(id, Splits.Train));
    }

    [Fact]
    public void AFailingImportWritesNothing()
    {
        using var db = new TempDatabase();
        var repo = new DatasetRepository(db.Database);
        var bad = TempDatabase.SampleImport() with { PlantedErrors = [new PlantedErrorByCocoId(999, "missing_instance", "")] };
        Assert.Throws<InvalidOperationException>(() => repo.Import(bad));
        Assert.Empty(repo.List());
    }
}
