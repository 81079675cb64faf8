using System.Text.Json;
using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>Two datasets: the list, the app-bar picker (same kind of page in the other dataset), a dataset with
/// nothing computed, and the label-error queue API agreeing with the queue page.</summary>
[Collection(DemoAppCollection.Name)]
public class SwitchingDatasetsJourney(DemoApp app)
{
    [Fact]
    public async Task PickAnotherDatasetAndComeBack()
    {
        var page = await app.OpenAsync("/");
        Assert.Equal(2, await page.Locator(".dataset-table tbody tr").CountAsync());
        await page.Locator($"tr[data-dataset='{app.DemoId}'] a.dataset-link").ClickAsync();
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.DemoId}$");
        await DemoApp.WaitInteractive(page);

        // The picker keeps the kind of page: gallery → the copy's gallery.
        await page.Locator("select[data-field='dataset']").SelectOptionAsync(new SelectOptionValue { Label = DemoApp.CopyName });
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.CopyId}$");
        await page.GetByText($"Held-out images of “{DemoApp.CopyName}”").WaitForAsync();
        Assert.True(await page.Locator("a.gallery-tile").CountAsync() >= 6);
        string tile = (await page.Locator("a.gallery-tile").First.GetAttributeAsync("href"))!;
        Assert.StartsWith($"/datasets/{app.CopyId}/images/", tile);

        // Nothing is computed on the copy: the queue names the command for this dataset.
        await page.GetByRole(AriaRole.Link, new() { Name = "Label-error queue", Exact = true }).ClickAsync();
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.CopyId}/queue$");
        var missing = page.Locator(".detector-missing");
        await missing.WaitForAsync();
        Assert.Contains($"--dataset {DemoApp.CopyName}", await missing.InnerTextAsync());

        // Back to the demo from the queue: the demo's queue, in the same order as the API gives it.
        await page.Locator("select[data-field='dataset']").SelectOptionAsync(new SelectOptionValue { Label = "demo" });
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.DemoId}/queue$");
        await page.Locator(".queue-table tbody tr").First.WaitForAsync();
        var shown = new List<long>();
        foreach (string href in await page.Locator("a.queue-link").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            shown.Add(long.Parse(href.Split('?')[0].Split('/').Last()));

        var response = await page.APIRequest.GetAsync($"{app.BaseUrl}/api/datasets/{app.DemoId}/label-error-queue?limit=500");
        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(await response.TextAsync());
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(shown, items.Select(i => i.GetProperty("cocoImageId").GetInt64()));
        Assert.Equal(Enumerable.Range(1, items.Length), items.Select(i => i.GetProperty("rank").GetInt32()));

        // An image of one dataset is not found under the other (the API takes database ids; the page its COCO id).
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT id FROM images WHERE dataset_id = {app.CopyId} AND coco_id = {long.Parse(tile.Split('/').Last())}";
        long copyImage = (long)command.ExecuteScalar()!;
        var crossed = await page.APIRequest.GetAsync($"{app.BaseUrl}/api/datasets/{app.DemoId}/images/{copyImage}/masks/gt.png");
        Assert.Equal(404, crossed.Status);
    }
}
