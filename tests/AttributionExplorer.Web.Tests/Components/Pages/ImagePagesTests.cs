using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Pages;
using AttributionExplorer.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Pages;

/// <summary>The held-out and the training image page: each serves its own split of its own dataset.</summary>
public class ImagePagesTests : BunitContext, IAsyncLifetime
{
    private readonly SeededDatabase db = new();

    public ImagePagesTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
        Services.AddSingleton<IAttributionRepository>(db.Attributions);
        Services.AddSingleton<IPluginCatalog>(db.Catalog);
        Services.AddSingleton<ICheckpointRepository>(new CheckpointRepository(db.Database));
        Services.AddSingleton<IFlagRepository>(new FlagRepository(db.Database));
        Services.AddSingleton<IJobRepository>(db.Jobs);
        Services.AddSingleton(new AppOptions());
        Services.AddSingleton<TargetRankings>();
        Services.AddSingleton<LabelErrorQueue>();
        Services.AddSingleton(new AnnotatorSession());
        // TRAK full image: ranks Train[1], Train[3], Train[0], Train[2] overall.
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [0.5f, -2f, 1f, -1f]);
    }

    // MudBlazor's key interceptor (behind the name field and the checkpoint select) can only be disposed asynchronously.
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        db.Dispose();
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<TrainImagePage> Train(long datasetId, long id, string query = "")
    {
        Navigation.NavigateTo($"/datasets/{datasetId}/train/{id}{query}");
        return Render<TrainImagePage>(p => p.Add(c => c.DatasetId, datasetId).Add(c => c.Id, id));
    }

    [Fact]
    public void TheTrainingPageRanksTheImageUnderEachDetectorAndStepsThroughTheChosenQueue()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        db.AddDetectorRun("confidence", db.Train[3], db.Train[0], db.Train[1], db.Train[2]);

        var page = Train(db.DatasetId, db.Train[0], "?queue=2&method=confidence");
        Assert.Equal("Training image 100", page.Find("h1").TextContent);
        var ranks = page.FindAll(".detector-rank").ToDictionary(r => r.GetAttribute("data-method")!, r => r.TextContent);
        Assert.Contains("rank 2 of 4", ranks["confidence"]);
        Assert.Contains("rank 3 of 4", ranks["trak"]);
        // Each detector's split-half badge; neither run recorded one here.
        Assert.All(page.FindAll(".detector-rank"), r => Assert.Equal("not measured", r.QuerySelector(".reliability-badge")!.TextContent));
        var nav = page.Find(".queue-nav");
        Assert.Contains("Queue position #2 (Detector confidence)", nav.TextContent);
        var links = nav.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToArray();
        Assert.Equal([$"/datasets/{db.DatasetId}/train/{db.Train[3]}?queue=1&method=confidence",
                      $"/datasets/{db.DatasetId}/train/{db.Train[1]}?queue=3&method=confidence"], links);
        Assert.NotNull(page.Find(".flag-editor"));
        Assert.NotNull(page.Find($"img[src='/api/datasets/{db.DatasetId}/images/{db.Train[0]}/pixels?size=640']"));
    }

    [Fact]
    public void EachPageSendsTheOtherSplitToItsOwnPageAndRefusesOtherDatasets()
    {
        Train(db.DatasetId, db.HeldOut);
        Assert.EndsWith($"/datasets/{db.DatasetId}/held-out/{db.HeldOut}", Navigation.Uri);

        Navigation.NavigateTo($"/datasets/{db.DatasetId}/held-out/{db.Train[1]}");
        Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.Train[1]));
        Assert.EndsWith($"/datasets/{db.DatasetId}/train/{db.Train[1]}", Navigation.Uri);

        long other = db.ImportOther("second");
        Assert.Contains($"No training image with id {db.Train[0]} in dataset {other}", Train(other, db.Train[0]).Find(".not-found").TextContent);
        var heldOut = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, other).Add(c => c.Id, db.HeldOut));
        Assert.Contains($"No held-out image with id {db.HeldOut} in dataset {other}", heldOut.Find(".not-found").TextContent);
    }

    [Fact]
    public void TheHeldOutPageOffersTheCatalogsTargetKindsAndRestoresTheTargetFromTheAddress()
    {
        var annotation = db.Datasets.GetAnnotations(db.HeldOut).Single();
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Class, annotation.CategoryCocoId, null), [1f, 2f, 3f, 4f]);
        Navigation.NavigateTo($"/datasets/{db.DatasetId}/held-out/{db.HeldOut}?target=class:{annotation.CategoryCocoId}");
        var page = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.HeldOut));
        var chips = page.FindAll("button.target-chip");
        Assert.Equal(["Full image", "class: cat"], chips.Select(c => c.TextContent.Trim()));
        Assert.Equal("true", chips[1].GetAttribute("aria-pressed"));
        // The class target's TRAK positive column, best first.
        Assert.Equal($"/datasets/{db.DatasetId}/train/{db.Train[3]}",
            page.Find("section.method-column[data-method='trak'] a.influencer-tile").GetAttribute("href"));
    }

    [Fact]
    public void TheChosenObjectIsOutlinedAndClickingAnObjectChoosesIt()
    {
        var annotation = db.Datasets.GetAnnotations(db.HeldOut).Single();
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Object, annotation.CategoryCocoId, annotation.Id), [1f, 2f, 3f, 4f]);
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Class, annotation.CategoryCocoId, null), [1f, 2f, 3f, 4f]);

        // The full image marks nothing.
        Navigation.NavigateTo($"/datasets/{db.DatasetId}/held-out/{db.HeldOut}");
        var page = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.HeldOut));
        Assert.Empty(page.FindAll("img.focus-layer"));

        // Clicking the object (image pixel (1, 0); the 3×2 image is shown 320 px high, 80 px cropped on each side)
        // makes it the target.
        page.Find(".region-picker").Click(new Microsoft.AspNetCore.Components.Web.MouseEventArgs { OffsetX = 100, OffsetY = 50 });
        Assert.EndsWith($"target=object%3A{annotation.Id}", Navigation.Uri);

        // The target in the address is outlined on the image, the rest dimmed: one layer, named after the chip.
        var picked = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.HeldOut));
        var focus = picked.Find("img.focus-layer");
        Assert.Equal($"object:{annotation.Id}", focus.GetAttribute("data-selected"));
        Assert.Equal($"/api/datasets/{db.DatasetId}/images/{db.HeldOut}/masks/focus.png?annotation={annotation.Id}", focus.GetAttribute("src"));
        Assert.Contains("Outlined: object: cat #1", picked.Find(".focus-caption").TextContent);
        Assert.Equal("true", picked.Find("button.target-chip[data-kind='object']").GetAttribute("aria-pressed"));

        // A class target outlines every object of the class (model index 1 = "cat").
        Navigation.NavigateTo($"/datasets/{db.DatasetId}/held-out/{db.HeldOut}?target=class:{annotation.CategoryCocoId}");
        var byClass = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.HeldOut));
        Assert.EndsWith("/masks/focus.png?class=1", byClass.Find("img.focus-layer").GetAttribute("src"));
    }
}
