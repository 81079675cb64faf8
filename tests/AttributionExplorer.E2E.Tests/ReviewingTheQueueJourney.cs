using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>An annotator's review session (issue 15, part A): the queue remembers what was decided and where the
/// reviewer was, addresses name images by COCO id, missing things are proper 404 pages, the theme survives a reload,
/// and asking past the end of a ranking says so.</summary>
[Collection(DemoAppCollection.Name)]
public class ReviewingTheQueueJourney(DemoApp app)
{
    private string Queue => $"/datasets/{app.DemoId}/queue";

    private List<(long Id, long CocoId)> Images(string where)
    {
        using var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT id, coco_id FROM images WHERE {where} ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, long)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return rows;
    }

    /// <summary>A page at a phone's size (390 × 844), interactive.</summary>
    private async Task<IPage> OpenOnPhone(string path)
    {
        var page = await app.NewPageAsync(390, 844);
        await page.GotoAsync(app.BaseUrl + path);
        await DemoApp.WaitInteractive(page);
        return page;
    }

    [Fact]
    public async Task TheQueueShowsWhatWasDecidedFiltersByItAndKeepsItsPlace()
    {
        var page = await app.OpenAsync(Queue);
        await page.Locator(".queue-table tbody tr").First.WaitForAsync();
        await page.Locator("a.queue-link").First.ClickAsync();
        await DemoApp.WaitForQuery(page, "queue=1");
        await page.GetByText("Queue position #1").WaitForAsync();
        long coco = long.Parse(new Uri(page.Url).AbsolutePath.Split('/').Last());

        // Flags carry the signed-in user's name (the fixture's admin).
        await page.Locator("body").ClickAsync(new LocatorClickOptions { Position = new Position { X = 5, Y = 300 } });
        await page.Locator("button[data-shortcut='c']:not([disabled])").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("c");
        await page.Locator(".flag-current[data-state='confirmed']").WaitForAsync();

        // Back to the queue with the keyboard: the row says what was decided, by whom.
        await page.Keyboard.PressAsync("u");
        await DemoApp.WaitForLocation(page, $"^{Queue}$");
        var row = page.Locator($".queue-table tbody tr[data-image='{coco}']");
        await page.Locator($".queue-table tbody tr[data-image='{coco}'][data-state='confirmed']").WaitForAsync();
        string review = await row.Locator("td.review").InnerTextAsync();
        Assert.Contains("confirmed error", review);
        Assert.Contains(DemoApp.Admin, review);

        // Filter by that state: only confirmed rows, and the address says so.
        await page.Locator("select[data-filter='state']").SelectOptionAsync("confirmed");
        await DemoApp.WaitForQuery(page, "state=confirmed");
        await page.Locator(".queue-count").GetByText("match the filters").WaitForAsync();
        var states = await page.Locator(".queue-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.state)");
        Assert.NotEmpty(states);
        Assert.All(states, s => Assert.Equal("confirmed", s));
        Assert.Equal(1, await page.Locator($".queue-table tbody tr[data-image='{coco}']").CountAsync());

        // A reload keeps the whole view; so does opening an image and coming back.
        await page.ReloadAsync();
        await DemoApp.WaitInteractive(page);
        Assert.Equal("confirmed", await page.Locator("select[data-filter='state']").InputValueAsync());
        Assert.Equal(states.Length, await page.Locator(".queue-table tbody tr").CountAsync());
        await page.Locator("a.queue-link").First.ClickAsync();
        await DemoApp.WaitForQuery(page, "state=confirmed");
        await page.GetByText("Queue position #").WaitForAsync();
        await page.ReloadAsync();
        await DemoApp.WaitInteractive(page);
        Assert.Contains("filtered", await page.Locator(".queue-nav").InnerTextAsync());
        await page.Keyboard.PressAsync("u");
        await DemoApp.WaitForLocation(page, $"^{Queue}\\?state=confirmed$");

        // The back button walks the same way back: the image, the filtered queue, the queue before the filter.
        await page.GoBackAsync();
        await DemoApp.WaitForQuery(page, "queue=");
        await page.GoBackAsync();
        await DemoApp.WaitForLocation(page, $"^{Queue}\\?state=confirmed$");
        await page.GoBackAsync();
        await DemoApp.WaitForLocation(page, $"^{Queue}$");
    }

    [Fact]
    public async Task OldAddressesRedirectToTheCocoIdWhichIsTheOnlyIdShown()
    {
        // The copy was imported second, so its row ids differ from its COCO ids.
        var (rowId, cocoId) = Images($"dataset_id = {app.CopyId} AND split = 'train'").First();
        Assert.NotEqual(rowId, cocoId);
        var page = await app.OpenAsync($"/images/{rowId}");
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.CopyId}/images/{cocoId}$");
        Assert.Equal($"Training image {cocoId}", await page.Locator("h1").TextContentAsync());
        Assert.DoesNotContain($"{rowId}", await page.TitleAsync());
        var links = await page.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.DoesNotContain(links, l => l.Contains($"/images/{rowId}"));

        var (heldOutRow, heldOutCoco) = Images($"dataset_id = {app.DemoId} AND split = 'val'").First();
        page = await app.OpenAsync($"/datasets/{app.DemoId}/held-out/{heldOutRow}?k=5");
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.DemoId}/images/{heldOutCoco}\\?k=5$");
        Assert.Equal($"Held-out image {heldOutCoco}", await page.Locator("h1").TextContentAsync());
        var demoCocoIds = Images($"dataset_id = {app.DemoId}").Select(i => i.CocoId.ToString()).ToHashSet();
        await page.Locator("a.influencer-tile").First.WaitForAsync();
        foreach (string id in await page.Locator("a.influencer-tile .id").AllInnerTextsAsync())
            Assert.Contains(id.Replace("id ", ""), demoCocoIds);
    }

    [Fact]
    public async Task MissingThingsArePropersFourOhFourPagesAndNothingAsksForAMissingFavicon()
    {
        var page = await app.NewPageAsync();
        var failed = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 400) failed.Add($"{r.Status} {r.Url}"); };
        page.Console += (_, m) => { if (m.Type == "error" && (m.Text.Contains("favicon") || m.Text.Contains("404"))) failed.Add($"console: {m.Text}"); };

        var legacy = await page.GotoAsync($"{app.BaseUrl}/images/999999");
        Assert.Equal(404, legacy!.Status);
        Assert.Contains("404", await page.Locator("h1").TextContentAsync());
        Assert.Equal("/", await page.GetByText("Back to the datasets").GetAttributeAsync("href"));

        var missing = await page.GotoAsync($"{app.BaseUrl}/datasets/{app.DemoId}/images/999999");
        Assert.Equal(404, missing!.Status);
        await DemoApp.WaitInteractive(page);
        Assert.Equal("Not found", await page.Locator("h1").TextContentAsync());
        Assert.Contains("No image with COCO id 999999 in dataset “demo”", await page.Locator(".not-found-message").InnerTextAsync());
        Assert.Equal($"/datasets/{app.DemoId}", await page.Locator("a.not-found-back").GetAttributeAsync("href"));

        // Ordinary pages: no 4xx at all (the favicon included), no console error.
        failed.Clear();
        foreach (string path in new[] { app.DemoGallery, Queue, $"/datasets/{app.DemoId}/evaluation" })
        {
            await page.GotoAsync(app.BaseUrl + path);
            await DemoApp.WaitInteractive(page);
        }
        Assert.Empty(failed);
        Assert.Equal(200, (await page.APIRequest.GetAsync($"{app.BaseUrl}/favicon.ico")).Status);
    }

    [Fact]
    public async Task DarkModeSurvivesAReload()
    {
        var page = await app.OpenAsync(app.DemoGallery);
        const string background = "getComputedStyle(document.body).backgroundColor";
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>(background));
        await page.Locator("[data-action='toggle-theme']").ClickAsync();
        // A function, not an expression string: the app's CSP forbids eval, which Playwright needs for strings.
        await page.WaitForFunctionAsync($"() => {background} === 'rgb(37, 37, 44)'");
        await page.ReloadAsync();
        await DemoApp.WaitInteractive(page);
        Assert.Equal("rgb(37, 37, 44)", await page.EvaluateAsync<string>(background));
        Assert.Equal("true", await page.Locator("[data-action='toggle-theme']").GetAttributeAsync("aria-pressed"));
        // Influence colours follow the theme (light blue on dark).
        await page.GotoAsync($"{app.BaseUrl}/datasets/{app.DemoId}/queue");
        await DemoApp.WaitInteractive(page);
        Assert.Equal("#56B4E9", await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--ae-influence-positive').trim()"));
    }

    [Fact]
    public async Task AskingPastTheEndOfARankingShowsTheLastPageAndSaysSo()
    {
        var page = await app.OpenAsync($"{Queue}?page=40");
        var note = page.Locator(".queue-end");
        await note.WaitForAsync();
        Assert.Contains("There is no page 40", await note.InnerTextAsync());
        Assert.Equal(40, await page.Locator(".queue-table tbody tr").CountAsync());
        Assert.Equal(Queue, await note.Locator("a").GetAttributeAsync("href"));

        var (_, heldOut) = Images($"dataset_id = {app.DemoId} AND split = 'val'").First();
        page = await app.OpenAsync($"/datasets/{app.DemoId}/images/{heldOut}?page=40");
        await page.Locator(".ranks-end").WaitForAsync();
        Assert.Contains("There is no page 40", await page.Locator(".ranks-end").InnerTextAsync());
        Assert.True(await page.Locator("section.method-column[aria-label='TRAK positive'] a.influencer-tile").CountAsync() >= 1);
    }

    [Fact]
    public async Task TheQueueFiltersAndTheNotFoundPageFitAPhone()
    {
        var page = await OpenOnPhone($"{Queue}?state=unflagged");
        var filters = (await page.Locator(".queue-filters").BoundingBoxAsync())!;
        Assert.True(filters.X >= 0 && filters.X + filters.Width <= 390, $"filters span {filters.X}–{filters.X + filters.Width} px");
        foreach (string control in new[] { "state", "class", "min", "max" })
        {
            var box = (await page.Locator($"[data-filter='{control}']").BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{control} spans {box.X}–{box.X + box.Width} px");
        }
        page = await OpenOnPhone($"/datasets/{app.DemoId}/images/999999");
        var message = (await page.Locator(".not-found").BoundingBoxAsync())!;
        Assert.True(message.X + message.Width <= 390);
    }
}
