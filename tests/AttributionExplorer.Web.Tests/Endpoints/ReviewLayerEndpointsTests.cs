using System.Net;
using AttributionExplorer.Web.Rendering;
using SkiaSharp;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>The lightbox's and the image page's layers over HTTP: the ensemble's prediction, the disagreement with the
/// label and the selected target; each a 404 where there is nothing to draw, and under its own dataset only.</summary>
public class ReviewLayerEndpointsTests : IAsyncLifetime
{
    private readonly SeededDatabase db = new();
    private ApiHost host = null!;

    public async Task InitializeAsync() => host = await ApiHost.Start(db);

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        db.Dispose();
    }

    private string Image(long id) => $"/api/datasets/{db.DatasetId}/images/{id}";

    private async Task<SKBitmap> Png(string url)
    {
        var response = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        return SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PredictionAndDisagreementNeedAStoredPredictionAndChangeWithTheCheckpoints()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/ensemble.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/disagreement.png")).StatusCode);

        db.AddCheckpoint(0, (db.HeldOut, [1, 0, 1, 0]));
        var first = await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/disagreement.png");
        using (var ensemble = await Png($"{Image(db.HeldOut)}/masks/ensemble.png"))
        {
            Assert.Equal((2, 2), (ensemble.Width, ensemble.Height));
            var cat = ClassPalette.For(1);
            Assert.Equal((cat.Red, cat.Green, cat.Blue), (ensemble.GetPixel(0, 0).Red, ensemble.GetPixel(0, 0).Green, ensemble.GetPixel(0, 0).Blue));
            Assert.Equal(0, ensemble.GetPixel(1, 0).Alpha);
        }
        // The label reads [1, 1, 1, 0] in the model's crop: only the top-right pixel disagrees.
        using (var disagreement = await Png($"{Image(db.HeldOut)}/masks/disagreement.png"))
            Assert.Equal([0, 230, 0, 0], new[] { (0, 0), (1, 0), (0, 1), (1, 1) }.Select(p => (int)disagreement.GetPixel(p.Item1, p.Item2).Alpha));

        // A new checkpoint is a new ensemble: the ETag changes with it.
        db.AddCheckpoint(1, (db.HeldOut, [1, 1, 1, 0]));
        var second = await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/disagreement.png");
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);

        long other = db.ImportOther("second");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/datasets/{other}/images/{db.HeldOut}/masks/ensemble.png")).StatusCode);
    }

    [Fact]
    public async Task TheFocusLayerMarksAnObjectOrAClassAndNothingElse()
    {
        long annotation = db.Datasets.GetAnnotations(db.HeldOut).Single().Id;
        using (var focus = await Png($"{Image(db.HeldOut)}/masks/focus.png?annotation={annotation}"))
        {
            Assert.Equal((3, 2), (focus.Width, focus.Height));
            Assert.Equal(SKColors.Black, focus.GetPixel(0, 0)); // next to the object
            Assert.Equal(SKColors.White, focus.GetPixel(1, 0)); // the object's edge
        }
        using (var byClass = await Png($"{Image(db.HeldOut)}/masks/focus.png?class=1"))
            Assert.Equal(SKColors.White, byClass.GetPixel(1, 1));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/focus.png?class=2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/focus.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"{Image(db.HeldOut)}/masks/focus.png?annotation=999999")).StatusCode);
    }
}
