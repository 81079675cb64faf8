using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Pages;

public class DatasetsPageTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public DatasetsPageTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    [Fact]
    public void TheOnlyDatasetOpensAtOnce()
    {
        Render<DatasetsPage>();
        Assert.EndsWith($"/datasets/{db.DatasetId}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void SeveralDatasetsAreListedWithTheirSizesAndPages()
    {
        long other = db.ImportOther("second");
        var page = Render<DatasetsPage>();
        var rows = page.FindAll(".dataset-table tbody tr");
        Assert.Equal(new[] { db.DatasetId.ToString(), other.ToString() }, rows.Select(r => r.GetAttribute("data-dataset")));
        Assert.Equal(new[] { "sample", "second" }, rows.Select(r => r.QuerySelector("a.dataset-link")!.TextContent));
        Assert.Equal($"/datasets/{other}", rows[1].QuerySelector("a.dataset-link")!.GetAttribute("href"));
        // Training and held-out counts of the second dataset: 2 and 1.
        Assert.Equal(new[] { "2", "1" }, rows[1].QuerySelectorAll("td").Skip(1).Take(2).Select(c => c.TextContent));
        Assert.NotNull(rows[1].QuerySelector($"a[href='/datasets/{other}/queue']"));
        Assert.NotNull(rows[1].QuerySelector($"a[href='/datasets/{other}/evaluation']"));
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void TellsANewUserToRunTheDemoWhenThereIsNoDataset()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ae-web-empty-{Guid.NewGuid():N}.db");
        var database = new AttributionExplorer.Storage.SqliteDatabase(path);
        database.Migrate();
        Services.AddSingleton<IDatasetRepository>(new DatasetRepository(database));
        var page = Render<DatasetsPage>();
        Assert.Contains("./run-demo.sh", page.Markup);
        Assert.Empty(page.FindAll(".dataset-table"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
