using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Shared;
using AttributionExplorer.Web.Services;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class ExportPanelTests : BunitContext
{
    private readonly SeededDatabase db = new();
    private readonly long runId;

    public ExportPanelTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        var exports = new ExportRepository(db.Database);
        Services.AddSingleton<IExportRepository>(exports);
        Services.AddSingleton(new SecurityOptions());
        auth = AddAuthorization();
        // Train[2] is flagged confirmed.
        Services.AddSingleton(new ExportService(db.Datasets, db.Attributions, exports,
            (_, states) => states.Contains(FlagStates.Confirmed) ? new HashSet<long> { db.Train[2] } : new HashSet<long>()));
        // Overall influence ranks: Train[1] (−2) first.
        long target = db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [0.5f, -2f, 1f, -1f]);
        runId = db.Attributions.GetTarget(target)!.RunId;
    }

    private readonly BunitAuthorizationContext auth;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    [Fact]
    public void CreatesARecordedExportAsTheSignedInUserWithDownloadsInEveryFormat()
    {
        auth.SetAuthorized("Ada");
        auth.SetRoles(UserRoles.Annotator);
        var cut = Render<ExportPanel>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.RunId, runId));
        Assert.Contains("Recorded as made by Ada.", cut.Find(".export-author").TextContent);
        Assert.Empty(cut.FindAll("input[data-field='author']"));
        cut.Find("[data-action='create-export']").Click();

        // 4 training images, 10% → floor(0.4) = 0 dropped by influence; the confirmed flag drops Train[2].
        var created = cut.Find("[data-export-id]");
        Assert.Contains("keeps 3 images", created.TextContent);
        long exportId = long.Parse(created.GetAttribute("data-export-id")!);
        Assert.Equal(new[] { db.Train[0], db.Train[1], db.Train[3] }, new ExportRepository(db.Database).GetImageIds(exportId));
        var row = cut.Find($"tr[data-export-row='{exportId}']");
        Assert.Contains("Ada", row.TextContent);
        Assert.Contains("flagged confirmed", row.TextContent);
        Assert.Equal(new[] { "txt", "csv", "json", "coco" }, row.QuerySelectorAll("a[data-format]").Select(a => a.GetAttribute("data-format")));
        Assert.Equal($"/api/datasets/{db.DatasetId}/exports/{exportId}/download?format=csv", row.QuerySelector("a[data-format='csv']")!.GetAttribute("href"));
    }

    [Fact]
    public void AViewerCannotMakeAnExport()
    {
        auth.SetAuthorized("vic");
        auth.SetRoles(UserRoles.Viewer);
        var cut = Render<ExportPanel>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.RunId, runId));
        Assert.Contains("Your role (viewer) can download exports; annotators and admins make them.", cut.Find(".export-author").TextContent);
        Assert.True(cut.Find("[data-action='create-export']").HasAttribute("disabled"));
        Assert.Empty(new ExportRepository(db.Database).List(db.DatasetId, 0, 10));
    }
}
