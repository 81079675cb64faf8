using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Shared;
using AttributionExplorer.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

/// <summary>A tile opened large: layers, the disagreement figure, ←/→ through the tile's list, Esc to close.</summary>
public class LightboxTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public LightboxTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
        Services.AddSingleton<ICheckpointRepository>(new CheckpointRepository(db.Database));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private Lightbox.Entry[] Entries =>
    [
        new(db.HeldOut, "Held-out image 104", AppLinks.Image(db.DatasetId, 104)),
        new(db.Train[0], "Training image 100", AppLinks.Image(db.DatasetId, 100)),
    ];

    [Fact]
    public void ShowsTheLabelAndTheDisagreementWithTheEnsembleAndTogglesLayers()
    {
        db.AddCheckpoint(0, (db.HeldOut, [1, 0, 1, 0]));
        db.AddCheckpoint(1, (db.HeldOut, [1, 0, 1, 0]));
        var box = Render<Lightbox>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Items, Entries).Add(c => c.Index, 0));

        var dialog = box.Find("[role=dialog]");
        Assert.Equal("true", dialog.GetAttribute("aria-modal"));
        Assert.Equal("Held-out image 104", dialog.GetAttribute("aria-label"));
        Assert.Contains("1 of 2", box.Find(".lightbox-header").TextContent);
        string api = $"/api/datasets/{db.DatasetId}/images/{db.HeldOut}";
        Assert.Equal([$"{api}/masks/gt.png", $"{api}/masks/disagreement.png"], box.FindAll("img.layer").Select(i => i.GetAttribute("src")));
        Assert.Contains("vote of 2 checkpoints at 2×2", string.Join(' ', box.Find(".lightbox-summary").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("1 of 4 pixels (25.0%) differ from the label", box.Find(".disagreement-share").TextContent.Trim());
        Assert.Equal(["cat"], box.FindAll(".lightbox-controls .legend li").Select(l => l.TextContent.Trim()));
        Assert.True(box.Find("button[data-step='-1']").HasAttribute("disabled"));

        box.Find("input[data-toggle='prediction']").Change(true);
        box.Find("input[data-toggle='label']").Change(false);
        Assert.Equal(["prediction", "disagreement"], box.FindAll("img.layer").Select(i => i.GetAttribute("data-layer")));
        Assert.Equal($"{api}/masks/ensemble.png", box.Find("img[data-layer='prediction']").GetAttribute("src"));
    }

    [Fact]
    public void ArrowKeysStepThroughTheListAndEscapeCloses()
    {
        int? asked = null;
        bool closed = false;
        var box = Render<Lightbox>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Items, Entries).Add(c => c.Index, 0)
            .Add(c => c.IndexChanged, i => asked = i).Add(c => c.OnClose, () => closed = true));
        var dialog = box.Find("[role=dialog]");
        dialog.KeyDown(new KeyboardEventArgs { Key = "ArrowLeft" });
        Assert.Null(asked); // already the first
        dialog.KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal(1, asked);

        // The training image has no stored prediction here: the box says so and draws the label only.
        box.Render(p => p.Add(c => c.Index, 1));
        Assert.Equal(db.Train[0].ToString(), box.Find("[role=dialog]").GetAttribute("data-image"));
        Assert.Contains("No stored prediction for this image", box.Find(".lightbox-no-prediction").TextContent);
        Assert.Equal(["label"], box.FindAll("img.layer").Select(i => i.GetAttribute("data-layer")));
        Assert.Equal(AppLinks.Image(db.DatasetId, 100), box.Find("a.lightbox-open").GetAttribute("href"));
        box.Find("[role=dialog]").KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal(1, asked); // already the last

        box.Find("[role=dialog]").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        Assert.True(closed);
    }
}

public class TileOverlayBarTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public TileOverlayBarTests()
    {
        Services.AddMudServices();
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    [Fact]
    public void TheSwitchStartsFromTheDocumentsCurrentSettingAndStoresChangesAndTheLegendUsesTheImagePagesColours()
    {
        // The cookie said "shown" when the circuit started; the user has since switched the masks off on another page.
        JSInterop.Setup<bool>("aeTileMasks.shown").SetResult(false);
        var set = JSInterop.SetupVoid("aeTileMasks.set", _ => true);
        var bar = Render<TileOverlayBar>(p => p.Add(c => c.DatasetId, db.DatasetId));

        var toggle = bar.Find("input[data-action='tile-masks']");
        Assert.False(toggle.HasAttribute("checked"));
        toggle.Change(true);
        Assert.Equal(true, set.Invocations.Single().Arguments[0]);

        var legend = bar.FindAll(".legend li[data-class]");
        Assert.Equal(["cat", "toothbrush"], legend.Select(l => l.TextContent.Trim()));
        Assert.Contains(AttributionExplorer.Web.Rendering.ClassPalette.Css(2), legend[1].QuerySelector(".swatch")!.GetAttribute("style"));
    }

    [Fact]
    public void TheSwitchIsPrerenderedFromTheCookieWithoutWaitingForTheBrowser()
    {
        // A browser that has not answered yet (prerendering has no browser): the cascaded cookie value decides.
        JSInterop.Setup<bool>("aeTileMasks.shown");
        var bar = Render<TileOverlayBar>(p => p.Add(c => c.DatasetId, db.DatasetId)
            .AddCascadingValue(AttributionExplorer.Web.Services.TileMasksCookie.CascadeName, true));
        Assert.False(bar.Find("input[data-action='tile-masks']").HasAttribute("checked"));
    }
}
