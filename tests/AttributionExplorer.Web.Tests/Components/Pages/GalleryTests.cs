using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Pages;

public class GalleryTests : BunitContext
{
    /// <summary>50 held-out images with ids 1001…1050 in one dataset; paging goes through GetImages(offset, limit).</summary>
    private sealed class FakeDatasets(int valImages) : IDatasetRepository
    {
        private static readonly DatasetInfo Dataset = new(1, "demo", "/data", "test", DateTime.UtcNow);
        public IReadOnlyList<DatasetInfo> List() => valImages < 0 ? [] : [Dataset];
        public int CountImages(long datasetId, string split) => split == Splits.Val ? valImages : 0;
        public IReadOnlyList<ImageRecord> GetImages(long datasetId, string split, int offset, int limit) =>
            Enumerable.Range(offset, Math.Max(0, Math.Min(limit, valImages - offset)))
                .Select(i => new ImageRecord(1001 + i, 1, 5001 + i, Splits.Val, $"val/{i}.png", 96, 96)).ToList();
        public long Import(DatasetImport import) => throw new NotSupportedException();
        public DatasetInfo? FindByName(string name) => Dataset;
        public DatasetInfo? Get(long datasetId) => valImages >= 0 && datasetId == Dataset.Id ? Dataset : null;
        public IReadOnlyList<Category> GetCategories(long datasetId) => [];
        public ImageRecord? GetImage(long imageId) => null;
        public ImageRecord? GetImageByCocoId(long datasetId, long cocoId) => null;
        public IReadOnlyList<ImageRecord> GetImagesByIds(IReadOnlyCollection<long> imageIds) => [];
        public IReadOnlyList<AnnotationRecord> GetAnnotations(long imageId) => [];
        public IReadOnlyDictionary<long, IReadOnlyList<AnnotationRecord>> GetAnnotationsForSplit(long datasetId, string split) =>
            new Dictionary<long, IReadOnlyList<AnnotationRecord>>();
        public IReadOnlyList<PlantedError> GetPlantedErrors(long datasetId) => [];
        public long AddUpload(long datasetId, string fileName, int width, int height) => throw new NotSupportedException();
    }

    public GalleryTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void ShowsTheRequestedPageOfHeldOutImagesWithOverlays()
    {
        Services.AddSingleton<IDatasetRepository>(new FakeDatasets(50));
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/datasets/1?page=3");
        var gallery = Render<Gallery>(p => p.Add(c => c.DatasetId, 1L));
        var tiles = gallery.FindAll("a.gallery-tile");
        Assert.Equal(2, tiles.Count); // 50 images, 24 per page: page 3 holds the last 2
        Assert.Equal("/datasets/1/images/5049", tiles[0].GetAttribute("href"));
        Assert.NotNull(tiles[1].QuerySelector("img[src='/api/datasets/1/images/1050/masks/gt.png']"));
        Assert.NotNull(tiles[1].QuerySelector("img[src='/api/datasets/1/images/1050/pixels?size=300']"));
        Assert.Contains("id 5050", tiles[1].TextContent);
    }

    [Fact]
    public void AnUnknownDatasetSaysSoAndLinksToTheList()
    {
        Services.AddSingleton<IDatasetRepository>(new FakeDatasets(-1));
        var missing = new AttributionExplorer.Web.Services.MissingResource();
        Services.AddSingleton(missing);
        var gallery = Render<Gallery>(p => p.Add(c => c.DatasetId, 9L));
        // The router's not-found page says it (and a direct load is a 404: NotFoundPagesTests).
        Assert.Equal(("No dataset with id 9.", "/"), (missing.Message, missing.BackHref));
        Assert.Empty(gallery.FindAll("a.gallery-tile"));
    }
}
