using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class DatasetPickerTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public DatasetPickerTests() => Services.AddSingleton<IDatasetRepository>(db.Datasets);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    [Theory]
    [InlineData("queue?method=trak", "queue")]
    [InlineData("evaluation", "evaluation")]
    [InlineData("held-out/5?target=image", "")]
    [InlineData("", "")]
    public void ChoosingADatasetOpensTheSameKindOfPageInIt(string from, string to)
    {
        long other = db.ImportOther("second");
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/datasets/{db.DatasetId}/{from}");
        var cut = Render<DatasetPicker>(p => p.Add(c => c.Current, db.DatasetId));

        var options = cut.FindAll("select[data-field='dataset'] option");
        Assert.Equal(["sample", "second"], options.Select(o => o.TextContent));
        Assert.True(options[0].HasAttribute("selected"));
        cut.Find("select").Change(other.ToString());
        Assert.Equal($"http://localhost/datasets/{other}" + (to.Length == 0 ? "" : "/" + to), navigation.Uri);
    }

    [Fact]
    public void OnAPageOfNoDatasetItAsksForOne()
    {
        var cut = Render<DatasetPicker>();
        var options = cut.FindAll("option");
        Assert.Equal(["Choose a dataset…", "sample"], options.Select(o => o.TextContent));
    }
}
