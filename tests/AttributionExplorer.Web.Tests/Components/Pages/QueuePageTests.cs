using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Pages;
using AttributionExplorer.Web.Services;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Pages;

/// <summary>The label-error queue offers every TrainImages-scope method of the catalog as a detector.</summary>
public class QueuePageTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public QueuePageTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
        Services.AddSingleton<IAttributionRepository>(db.Attributions);
        Services.AddSingleton<IPluginCatalog>(db.Catalog);
        Services.AddSingleton<LabelErrorQueue>();
        var exports = new ExportRepository(db.Database);
        Services.AddSingleton<IExportRepository>(exports);
        Services.AddSingleton(new AttributionExplorer.Core.Options.SecurityOptions());
        Services.AddSingleton(new AttributionExplorer.Web.Security.CircuitJobLimiter(new AttributionExplorer.Core.Options.FixedWindowLimit { PermitLimit = 5 }));
        var auth = AddAuthorization();
        auth.SetAuthorized("alice");
        auth.SetRoles(AttributionExplorer.Core.Accounts.UserRoles.Admin);
        Services.AddSingleton(new ExportService(db.Datasets, db.Attributions, exports, (_, _) => new HashSet<long>()));
        // TRAK's full-image run: overall influence = these scores, so ranks are Train[1], Train[3], Train[0], Train[2].
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [0.5f, -2f, 1f, -1f]);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private IRenderedComponent<QueuePage> Open(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/datasets/{db.DatasetId}/queue{query}");
        return Render<QueuePage>(p => p.Add(c => c.DatasetId, db.DatasetId));
    }

    /// <summary>The rows' images in order, as database ids (the links name COCO ids: /datasets/{d}/images/{coco}?queue=…).</summary>
    private long[] Order(IRenderedComponent<QueuePage> page) =>
        page.FindAll("a.queue-link").Select(a => long.Parse(a.GetAttribute("href")!.Split('/').Last().Split('?')[0]))
            .Select(coco => db.Datasets.GetImageByCocoId(db.DatasetId, coco)!.Id).ToArray();

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void TheHeaderCarriesTheDetectorsSplitHalfAndTheTrakRegimeWarning()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        long confidence = db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        db.RankingRuns.RecordReliability(confidence, new Core.Stability.Reliability(0.12, "half A: seed 0 (1 checkpoint); half B: seed 1 (1 checkpoint)"));
        var trak = db.Attributions.LatestCompleteRuns(db.DatasetId).Of(AttributionMethods.Trak, TargetKinds.Image)!;
        db.RankingRuns.RecordReliability(trak.Id, Core.Stability.Reliability.None("one training run (seed 0, 2 checkpoints): train two or more seeds to have two halves"));
        db.RankingRuns.RecordKernels(trak.Id, [new KernelFigures(1, 4, 64, 1e-3, 0, 2.0, 60)]);

        var page = Open("?method=confidence");
        Assert.Equal("noisy 0.12", page.Find(".detector-description .reliability-badge").TextContent);
        Assert.Empty(page.FindAll(".regime-warning"));

        page = Open("?method=trak");
        var badge = page.Find(".detector-description .reliability-badge");
        Assert.Equal("no split-half", badge.TextContent);
        Assert.Contains("one training run (seed 0, 2 checkpoints)", badge.GetAttribute("title"));
        Assert.Contains("n/k = 0.06 < 4", page.Find(".regime-warning").TextContent);
    }

    [Fact]
    public void WithoutADetectorRunTheQueueIsTraksOverallInfluence()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        var page = Open();
        Assert.Equal([db.Train[1], db.Train[3], db.Train[0], db.Train[2]], Order(page));
        Assert.Equal($"/datasets/{db.DatasetId}/images/101?queue=1", page.Find("a.queue-link").GetAttribute("href"));
        var chips = page.FindAll(".detector-picker a.target-chip");
        Assert.Equal(["confidence", "trak"], chips.Select(c => c.GetAttribute("data-method")));
        Assert.Contains("(not computed)", chips[0].TextContent);
        Assert.Equal("true", chips[1].GetAttribute("aria-current"));
        Assert.Equal($"/datasets/{db.DatasetId}/queue?method=confidence", chips[0].GetAttribute("href"));
    }

    /// <summary>The registry's queue default wins over display order once it has a run, and the page says it is the
    /// default and what the study found; another detector's page names and links the default.</summary>
    [Fact]
    public void TheRegistrysQueueDefaultIsUsedAndStatedWithItsEvidence()
    {
        var suspect = SeededDatabase.Detector("suspect", 12) with { QueueDefault = true, Evidence = "Chosen in the study: AP 0.88." };
        db.PublishAlso(SeededDatabase.Detector("confidence", 10), suspect);
        db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        db.AddDetectorRun("suspect", db.Train[0], db.Train[1], db.Train[2], db.Train[3]);

        var page = Open();
        Assert.Equal([db.Train[0], db.Train[1], db.Train[2], db.Train[3]], Order(page));
        Assert.Contains("(default)", page.Find(".detector-picker a[data-method='suspect']").TextContent);
        Assert.Contains("This is the queue's default detector. Chosen in the study: AP 0.88.", page.Find(".detector-default").TextContent);

        var confidence = Open("?method=confidence");
        Assert.Equal([db.Train[3], db.Train[2], db.Train[1], db.Train[0]], Order(confidence));
        Assert.Equal($"/datasets/{db.DatasetId}/queue?method=suspect", confidence.Find(".detector-default a").GetAttribute("href"));
    }

    [Fact]
    public void AnObjectDetectorListsAnnotationsWithTheirImages()
    {
        db.PublishAlso(SeededDatabase.ObjectDetector("object-confidence", 20));
        long Annotation(int i) => db.Datasets.GetAnnotations(db.Train[i]).Single().Id;
        db.AddObjectDetectorRun("object-confidence", (Annotation(2), db.Train[2]), (Annotation(0), db.Train[0]));
        var page = Open("?method=object-confidence");
        var rows = page.FindAll(".object-queue-table tbody tr");
        // Annotations by their COCO ids, with their class.
        Assert.Equal(["1002", "1000"], rows.Select(r => r.GetAttribute("data-annotation")));
        Assert.Contains("annotation 1002 (cat)", rows[0].TextContent);
        Assert.Equal([db.Train[2], db.Train[0]], Order(page));
        Assert.Empty(page.FindAll(".export-panel"));
    }

    [Fact]
    public void TheFirstDetectorWithARunIsTheDefaultAndMethodPicksAnother()
    {
        db.PublishAlso(SeededDatabase.Detector("influence", 11), SeededDatabase.Detector("confidence", 10));
        db.AddDetectorRun("influence", db.Train[2], db.Train[0], db.Train[1], db.Train[3]);
        db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);

        var page = Open();
        Assert.Equal(["confidence", "influence", "trak"], page.FindAll(".detector-picker a.target-chip").Select(c => c.GetAttribute("data-method")));
        Assert.Equal([db.Train[3], db.Train[2], db.Train[1], db.Train[0]], Order(page));
        Assert.Contains("Detector confidence", page.Find(".detector-description").TextContent);

        var influence = Open("?method=influence");
        Assert.Equal([db.Train[2], db.Train[0], db.Train[1], db.Train[3]], Order(influence));
        Assert.Equal($"/datasets/{db.DatasetId}/images/102?queue=1&method=influence", influence.Find("a.queue-link").GetAttribute("href"));
        Assert.Equal("true", influence.Find(".detector-picker a[data-method='influence']").GetAttribute("aria-current"));

        Assert.Equal([db.Train[1], db.Train[3], db.Train[0], db.Train[2]], Order(Open("?method=trak")));
    }

    [Fact]
    public void ADetectorWithoutARunShowsItsCommand()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        var page = Open("?method=confidence");
        Assert.Empty(page.FindAll("a.queue-link"));
        Assert.Contains("run precompute rank confidence --dataset sample", page.Find(".detector-missing").TextContent);
    }

    [Fact]
    public void EachRowShowsItsReviewStateAndWhoSetItWhen()
    {
        var flags = new FlagRepository(db.Database);
        flags.Save(db.DatasetId, db.Train[3], FlagStates.Confirmed, "wrong class", "alice", 0);
        flags.Save(db.DatasetId, db.Train[0], FlagStates.Fixed, "", "bob", 0);
        var rows = Open().FindAll(".queue-table tbody tr");
        Assert.Equal(["unflagged", "confirmed", "fixed", "unflagged"], rows.Select(r => r.GetAttribute("data-state")));
        Assert.Equal(["101", "103", "100", "102"], rows.Select(r => r.GetAttribute("data-image")));
        var confirmed = rows[1].QuerySelector("td.review")!.TextContent;
        Assert.Contains("confirmed error", confirmed);
        Assert.Contains("by alice", confirmed);
        Assert.Contains(DateTime.UtcNow.ToString("yyyy-MM-dd"), confirmed);
        Assert.Contains("not flagged", rows[0].QuerySelector("td.review")!.TextContent);
        // Only COCO ids are shown.
        Assert.Contains("id 101", rows[0].TextContent);
        Assert.DoesNotContain($"id {db.Train[1]}", rows[0].TextContent);
    }

    [Fact]
    public void StateClassAndScoreRangeComeFromTheAddressAndNarrowTheQueue()
    {
        var flags = new FlagRepository(db.Database);
        flags.Save(db.DatasetId, db.Train[3], FlagStates.Confirmed, "", "alice", 0);

        var confirmed = Open("?state=confirmed");
        Assert.Equal([db.Train[3]], Order(confirmed));
        Assert.Contains("1 of 4 training images match", confirmed.Find(".queue-count").TextContent);
        Assert.Equal("confirmed", confirmed.Find("select[data-filter='state']").GetAttribute("value"));
        // Links carry the filter, so the image page steps within it.
        Assert.Equal($"/datasets/{db.DatasetId}/images/103?queue=2&state=confirmed", confirmed.Find("a.queue-link").GetAttribute("href"));

        Assert.Equal([db.Train[1], db.Train[0], db.Train[2]], Order(Open("?state=unflagged")));
        // Class 3 ("cat") is on the even images; TRAK's order is Train[1], Train[3], Train[0], Train[2].
        Assert.Equal([db.Train[0], db.Train[2]], Order(Open("?class=3")));
        Assert.Equal([db.Train[3], db.Train[0]], Order(Open("?min=-1.5&max=0.6")));
        Assert.Equal([db.Train[0]], Order(Open("?class=3&max=0.6")));
        var none = Open("?state=fixed");
        Assert.Empty(Order(none));
        Assert.Contains("No row matches these filters", none.Find(".queue-empty").TextContent);
        // A state no queue has is ignored, like an unknown detector.
        Assert.Equal(4, Order(Open("?state=done")).Length);
    }

    [Fact]
    public void ChangingAFilterPutsTheWholeViewInTheAddress()
    {
        var page = Open("?method=trak&planted=true&page=1");
        page.Find("select[data-filter='state']").Change("unflagged");
        Assert.EndsWith("/queue?method=trak&state=unflagged&planted=true", Navigation.Uri);
        page = Open("?method=trak&state=unflagged");
        page.Find("select[data-filter='class']").Change("90");
        Assert.EndsWith("/queue?method=trak&state=unflagged&class=90", Navigation.Uri);
        page = Open("?method=trak&state=unflagged&class=90");
        page.Find("input[data-filter='min']").Change("-1.5");
        Assert.EndsWith("/queue?method=trak&state=unflagged&class=90&min=-1.5", Navigation.Uri);
        page = Open("?method=trak&state=unflagged&class=90&min=-1.5");
        Assert.Equal($"/datasets/{db.DatasetId}/queue?method=trak", page.Find("a[data-action='clear-filters']").GetAttribute("href"));
        // Another detector keeps the state and class filters (the score range is in the old detector's units).
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        page = Open("?method=trak&state=unflagged&class=90&min=-1.5");
        Assert.Equal($"/datasets/{db.DatasetId}/queue?method=confidence&state=unflagged&class=90",
            page.Find(".detector-picker a[data-method='confidence']").GetAttribute("href"));
    }

    [Fact]
    public void SmallScoresAreOnOneFixedScaleStatedInTheHeader()
    {
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [5e-6f, -2e-5f, 1e-5f, -1e-5f]);
        var page = Open("?method=trak");
        Assert.Equal("score (×10⁻⁶)", page.Find("th.score-header").TextContent);
        var cells = page.FindAll("td.score").Select(c => c.TextContent).ToArray();
        Assert.Equal(["\u221220.0", "\u221210.0", "+5.0", "+10.0"], cells);
        Assert.All(cells, c => Assert.DoesNotContain("e", c));
        // Blue for positive, orange for negative (the theme's influence colours), never red or green.
        Assert.Equal(["neg", "neg", "pos", "pos"], page.FindAll("td.score").Select(c => c.ClassList.Last()));
    }

    [Fact]
    public void APagePastTheEndShowsTheLastPageWithALinkToIt()
    {
        var page = Open("?page=40");
        var note = page.Find(".queue-end");
        Assert.Contains("There is no page 40", note.TextContent);
        Assert.Equal($"/datasets/{db.DatasetId}/queue", note.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(4, Order(page).Length);
        Assert.Empty(Open("?page=1").FindAll(".queue-end"));
    }

    [Fact]
    public void AnyRowOpensLargeAndTheLightboxStepsThroughThePageInQueueOrder()
    {
        Services.AddSingleton<ICheckpointRepository>(new CheckpointRepository(db.Database));
        var page = Open("?method=trak");
        Assert.NotNull(page.Find(".tile-overlay-bar"));
        var rowLink = page.FindAll(".queue-table a.queue-link")[1].GetAttribute("href");
        page.FindAll(".queue-table .tile-enlarge")[1].Click();

        var dialog = page.Find(".lightbox");
        Assert.Equal(db.Train[3].ToString(), dialog.GetAttribute("data-image"));
        Assert.Contains("Queue #2: training image", page.Find(".lightbox-title").TextContent);
        // "open page" keeps the queue position, like the row's own link.
        Assert.Equal(rowLink, page.Find("a.lightbox-open").GetAttribute("href"));

        dialog.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal(db.Train[0].ToString(), page.Find(".lightbox").GetAttribute("data-image"));
        page.Find(".lightbox").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(page.FindAll(".lightbox"));
    }
}
