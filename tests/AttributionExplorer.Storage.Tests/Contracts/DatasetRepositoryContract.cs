using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

public abstract class DatasetRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    [SkippableFact]
    public void ImportRoundTripsImagesMasksCategoriesAndPlantedErrors()
    {
        using var s = CreateStorage();
        var repo = s.Datasets;
        long id = repo.Import(Import());

        var dataset = repo.Get(id)!;
        Assert.Equal(("sample", "test", "/data/images"), (dataset.Name, dataset.SourceDescription, dataset.ImageRoot));
        Assert.False(string.IsNullOrEmpty(dataset.Version));
        Assert.Equal(dataset, repo.FindByName("sample"));
        Assert.Null(repo.FindByName("nope"));
        Assert.Null(repo.Get(id + 1));
        Assert.Equal(new[] { 1, 2 }, repo.GetCategories(id).Select(c => c.ModelIndex));
        Assert.Equal(new Category(3, "cat", "animal", 1), repo.GetCategories(id)[0]);
        Assert.Equal(4, repo.CountImages(id, Splits.Train));
        Assert.Equal(2, repo.CountImages(id, Splits.Val));
        var page = repo.GetImages(id, Splits.Train, 1, 2);
        Assert.Equal(new long[] { 101, 102 }, page.Select(i => i.CocoId));
        Assert.Equal(("f1.png", 3, 2), (page[0].FileName, page[0].Width, page[0].Height));
        var annotations = repo.GetAnnotations(page[0].Id);
        var annotation = Assert.Single(annotations);
        Assert.True(annotation.IsCrowd);
        Assert.Equal(90, annotation.CategoryCocoId);
        Assert.Equal(new[] { false, true, true, false, true, false }, RleCodec.Decode(annotation.Mask));
        Assert.Equal(4, repo.GetAnnotationsForSplit(id, Splits.Train).Count);
        var error = Assert.Single(repo.GetPlantedErrors(id));
        Assert.Equal(page[0].Id, error.ImageId);
        Assert.Equal(page, repo.GetImagesByIds([page[1].Id, page[0].Id]).OrderBy(i => i.Id));
        Assert.Equal(page[0], repo.GetImage(page[0].Id));
    }

    [SkippableFact]
    public void AnImageIsFoundByItsCocoIdWithinItsDatasetOnly()
    {
        using var s = CreateStorage();
        var a = ImportDataset(s, Import("a"));
        var b = ImportDataset(s, Import("b"));
        var image = s.Datasets.GetImageByCocoId(a.Id, 101)!;
        Assert.Equal((a.Train[1], a.Id, Splits.Train), (image.Id, image.DatasetId, image.Split));
        Assert.Equal(b.Val[0], s.Datasets.GetImageByCocoId(b.Id, 104)!.Id);
        Assert.Null(s.Datasets.GetImageByCocoId(a.Id, 999999));
        Assert.Null(s.Datasets.GetImageByCocoId(a.Id + b.Id + 1, 101));
        long upload = s.Datasets.AddUpload(a.Id, "u.png", 4, 4);
        Assert.Equal(upload, s.Datasets.GetImageByCocoId(a.Id, -1)!.Id);
    }

    [SkippableFact]
    public void TheVersionFollowsTheContent()
    {
        using var s = CreateStorage();
        var a = s.Datasets.Get(s.Datasets.Import(Import("a")))!;
        var sameContent = s.Datasets.Get(s.Datasets.Import(Import("b")))!;
        var otherContent = s.Datasets.Get(s.Datasets.Import(Import("c", train: 5)))!;
        Assert.NotEqual(a.Version, otherContent.Version);
        Assert.Equal(new[] { "a", "b", "c" }, s.Datasets.List().Select(d => d.Name));
        Assert.Equal(a.Version, sameContent.Version);
    }

    [SkippableFact]
    public void DuplicateImportLeavesTheDatabaseUnchanged()
    {
        using var s = CreateStorage();
        var repo = s.Datasets;
        long id = repo.Import(Import());
        var error = Assert.Throws<InvalidOperationException>(() => repo.Import(Import(train: 9)));
        Assert.Contains("sample", error.Message);
        Assert.Single(repo.List());
        Assert.Equal(4, repo.CountImages(id, Splits.Train));
    }

    [SkippableFact]
    public void AFailingImportWritesNothing()
    {
        using var s = CreateStorage();
        var bad = Import() with { PlantedErrors = [new PlantedErrorByCocoId(999, "missing_instance", "")] };
        Assert.Throws<InvalidOperationException>(() => s.Datasets.Import(bad));
        Assert.Empty(s.Datasets.List());
        Assert.Null(s.Datasets.FindByName("sample"));
    }

    [SkippableFact]
    public void UploadsGetNegativeCocoIdsAndStayOutOfTheSplits()
    {
        using var s = CreateStorage();
        var d = ImportDataset(s);
        long first = s.Datasets.AddUpload(d.Id, "a.png", 30, 20);
        long second = s.Datasets.AddUpload(d.Id, "b.png", 10, 10);
        var image = s.Datasets.GetImage(first)!;
        Assert.Equal((-1L, Splits.Upload, 30, 20, "a.png"), (image.CocoId, image.Split, image.Width, image.Height, image.FileName));
        Assert.Equal(-2L, s.Datasets.GetImage(second)!.CocoId);
        Assert.Empty(s.Datasets.GetAnnotations(first));
        Assert.Equal(4, s.Datasets.CountImages(d.Id, Splits.Train));
        Assert.Equal(2, s.Datasets.CountImages(d.Id, Splits.Val));
        Assert.Throws<KeyNotFoundException>(() => s.Datasets.AddUpload(999, "c.png", 1, 1));
    }
}
