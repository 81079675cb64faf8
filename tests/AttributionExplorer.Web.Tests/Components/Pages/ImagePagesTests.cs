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
        Services.AddSingleton(missing);
        Services.AddSingleton(new AttributionExplorer.Core.Options.SecurityOptions());
        Services.AddSingleton(new AttributionExplorer.Web.Security.CircuitJobLimiter(new AttributionExplorer.Core.Options.FixedWindowLimit { PermitLimit = 5 }));
        var auth = AddAuthorization();
        auth.SetAuthorized("alice");
        auth.SetRoles(AttributionExplorer.Core.Accounts.UserRoles.Admin);
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

    private readonly MissingResource missing = new();

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>The image page at its address: /datasets/{d}/images/{COCO id}.</summary>
    private IRenderedComponent<ImagePage> Open(long datasetId, long cocoId, string query = "")
    {
        Navigation.NavigateTo($"/datasets/{datasetId}/images/{cocoId}{query}");
        return Render<ImagePage>(p => p.Add(c => c.DatasetId, datasetId).Add(c => c.CocoId, cocoId));
    }

    private long Coco(long imageId) => db.Datasets.GetImage(imageId)!.CocoId;

    [Fact]
    public void TheTrainingPageRanksTheImageUnderEachDetectorAndStepsThroughTheChosenQueue()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        db.AddDetectorRun("confidence", db.Train[3], db.Train[0], db.Train[1], db.Train[2]);

        var page = Open(db.DatasetId, Coco(db.Train[0]), "?queue=2&method=confidence");
        Assert.Equal("Training image 100", page.Find("h1").TextContent);
        var ranks = page.FindAll(".detector-rank").ToDictionary(r => r.GetAttribute("data-method")!, r => r.TextContent);
        Assert.Contains("rank 2 of 4", ranks["confidence"]);
        Assert.Contains("rank 3 of 4", ranks["trak"]);
        // Each detector's split-half badge; neither run recorded one here.
        Assert.All(page.FindAll(".detector-rank"), r => Assert.Equal("not measured", r.QuerySelector(".reliability-badge")!.TextContent));
        var nav = page.Find(".queue-nav");
        Assert.Contains("Queue position #2 (Detector confidence)", nav.TextContent);
        var links = nav.QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).ToArray();
        // Addresses name images by COCO id (Train[3] is 103, Train[1] is 101), and lead back to the queue's page.
        Assert.Equal([$"/datasets/{db.DatasetId}/images/103?queue=1&method=confidence",
                      $"/datasets/{db.DatasetId}/images/101?queue=3&method=confidence",
                      $"/datasets/{db.DatasetId}/queue?method=confidence"], links);
        Assert.NotNull(page.Find(".flag-editor"));
        Assert.NotNull(page.Find($"img[src='/api/datasets/{db.DatasetId}/images/{db.Train[0]}/pixels?size=640']"));
        Assert.DoesNotContain($"/images/{db.Train[0]}?", string.Join(" ", page.FindAll("a").Select(a => a.GetAttribute("href"))));
    }

    [Fact]
    public void PreviousAndNextStayWithinTheQueuesFilters()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        db.AddDetectorRun("confidence", db.Train[3], db.Train[0], db.Train[1], db.Train[2]);
        new FlagRepository(db.Database).Save(db.DatasetId, db.Train[1], FlagStates.Confirmed, "", "alice", 0);

        var page = Open(db.DatasetId, Coco(db.Train[0]), "?queue=2&method=confidence&state=unflagged");
        var links = page.Find(".queue-nav").QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).ToArray();
        // Rank 3 (Train[1]) is a confirmed error: next skips it to rank 4.
        Assert.Equal([$"/datasets/{db.DatasetId}/images/103?queue=1&method=confidence&state=unflagged",
                      $"/datasets/{db.DatasetId}/images/102?queue=4&method=confidence&state=unflagged",
                      $"/datasets/{db.DatasetId}/queue?method=confidence&state=unflagged"], links);
        Assert.Contains("filtered", page.Find(".queue-nav").TextContent);
    }

    [Fact]
    public void OneAddressPerCocoIdOpensThePageOfTheImagesSplitAndAMissingOneIsNotFound()
    {
        Assert.Equal("Held-out image 104", Open(db.DatasetId, 104).Find("h1").TextContent);
        Assert.Equal("Training image 101", Open(db.DatasetId, 101).Find("h1").TextContent);

        // A missing image tells the router's not-found page what is missing (a direct load is a 404: NotFoundPagesTests).
        Assert.Empty(Open(db.DatasetId, 999999).FindAll("h1"));
        Assert.Equal(("No image with COCO id 999999 in dataset “sample”.", $"/datasets/{db.DatasetId}", "Back to the held-out gallery"),
            (missing.Message, missing.BackHref, missing.BackText));

        long other = db.ImportOther("second");
        Open(other, 104);
        Assert.Equal("No image with COCO id 104 in dataset “second”.", missing.Message);
        Open(other + 5, 104);
        Assert.Equal(($"No dataset with id {other + 5}.", "/"), (missing.Message, missing.BackHref));

        var notFound = Render<NotFoundPage>();
        Assert.Equal("Not found", notFound.Find("h1").TextContent);
        Assert.Equal($"No dataset with id {other + 5}.", notFound.Find(".not-found-message").TextContent);
        Assert.Equal("/", notFound.Find("a.not-found-back").GetAttribute("href"));
    }

    [Fact]
    public void TheHeldOutPageOffersTheCatalogsTargetKindsAndRestoresTheTargetFromTheAddress()
    {
        var annotation = db.Datasets.GetAnnotations(db.HeldOut).Single();
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Class, annotation.CategoryCocoId, null), [1f, 2f, 3f, 4f]);
        var page = Open(db.DatasetId, 104, $"?target=class:{annotation.CategoryCocoId}");
        var chips = page.FindAll("button.target-chip");
        Assert.Equal(["Full image", "class: cat"], chips.Select(c => c.TextContent.Trim()));
        Assert.Equal("true", chips[1].GetAttribute("aria-pressed"));
        // The class target's TRAK positive column, best first, linked by COCO id.
        var best = page.Find("section.method-column[data-method='trak'] a.influencer-tile");
        Assert.Equal($"/datasets/{db.DatasetId}/images/103", best.GetAttribute("href"));
        Assert.Contains("id 103", best.TextContent);
    }

    [Fact]
    public void AnObjectTargetIsAddressedByItsCocoAnnotationId()
    {
        var annotation = db.Datasets.GetAnnotations(db.HeldOut).Single();
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Object, annotation.CategoryCocoId, annotation.Id), [1f, 2f, 3f, 4f]);
        Assert.NotEqual(annotation.Id, annotation.CocoId);
        var page = Open(db.DatasetId, 104, $"?target=object:{annotation.CocoId}");
        var pressed = page.FindAll("button.target-chip").Single(c => c.GetAttribute("aria-pressed") == "true");
        Assert.StartsWith("object: cat", pressed.TextContent.Trim());
        Assert.Equal("true", Open(db.DatasetId, 104, $"?target=object:{annotation.Id}").FindAll("button.target-chip")[0].GetAttribute("aria-pressed"));
    }

    [Fact]
    public void APageOfRanksPastTheEndShowsTheLastPageAndSaysSo()
    {
        var page = Open(db.DatasetId, 104, "?page=40");
        var note = page.Find(".ranks-end");
        Assert.Contains("There is no page 40", note.TextContent);
        Assert.EndsWith("page=1", note.QuerySelector("a")!.GetAttribute("href"));
        Assert.NotEmpty(page.FindAll("section.method-column[data-method='trak'] a.influencer-tile"));
        Assert.Empty(Open(db.DatasetId, 104).FindAll(".ranks-end"));
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
        Assert.EndsWith($"target=object%3A{annotation.CocoId}", Navigation.Uri);

        // The target in the address is outlined on the image, the rest dimmed: one layer, named after the chip.
        var picked = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.HeldOut));
        var focus = picked.Find("img.focus-layer");
        Assert.Equal($"object:{annotation.CocoId}", focus.GetAttribute("data-selected"));
        Assert.Equal($"/api/datasets/{db.DatasetId}/images/{db.HeldOut}/masks/focus.png?annotation={annotation.Id}", focus.GetAttribute("src"));
        Assert.Contains("Outlined: object: cat #1", picked.Find(".focus-caption").TextContent);
        Assert.Equal("true", picked.Find("button.target-chip[data-kind='object']").GetAttribute("aria-pressed"));

        // A class target outlines every object of the class (model index 1 = "cat").
        Navigation.NavigateTo($"/datasets/{db.DatasetId}/held-out/{db.HeldOut}?target=class:{annotation.CategoryCocoId}");
        var byClass = Render<HeldOutImagePage>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.Id, db.HeldOut));
        Assert.EndsWith("/masks/focus.png?class=1", byClass.Find("img.focus-layer").GetAttribute("src"));
    }
}
