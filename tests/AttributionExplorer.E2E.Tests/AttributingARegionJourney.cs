using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AttributionExplorer.E2E.Tests;

/// <summary>Draw a box on a held-out image, send it to the worker through the jobs table, watch it finish, see its influencers.</summary>
[Collection(DemoAppCollection.Name)]
public class AttributingARegionJourney(DemoApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task DrawABoxAndGetItsInfluencers()
    {
        var page = await app.OpenAsync(app.DemoGallery);
        await page.Locator("a.gallery-tile").Nth(1).ClickAsync();
        await DemoApp.WaitForLocation(page, @"^/datasets/\d+/images/\d+$");
        await DemoApp.WaitInteractive(page);

        await page.GetByLabel("Draw a region to attribute").CheckAsync();
        var surface = page.Locator(".region-surface");
        await surface.WaitForAsync();
        var box = (await surface.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 40, box.Y + 40);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + 120, box.Y + 100, new MouseMoveOptions { Steps = 4 });
        await page.Mouse.UpAsync();
        await page.GetByText("Region:", new PageGetByTextOptions { Exact = false }).First.WaitForAsync();

        var clock = Stopwatch.StartNew();
        await page.Locator("[data-action='attribute-region']").ClickAsync();
        await page.Locator(".job-status[data-status='done']").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        output.WriteLine($"region job done in the browser after {clock.ElapsedMilliseconds} ms");
        Assert.True(await page.Locator("section[aria-label='Region TRAK positive'] a.influencer-tile").CountAsync() >= 3);
        Assert.True(await page.Locator("section[aria-label='Region TRAK negative'] a.influencer-tile").CountAsync() >= 3);

        // The worker reported its progress into the job table on the way (the last step: saving the scores).
        var id = System.Text.RegularExpressions.Regex.Match(await page.Locator(".job-status").InnerTextAsync(), @"job (\d+)").Groups[1].Value;
        var job = await page.APIRequest.GetAsync($"{app.BaseUrl}/api/datasets/{app.DemoId}/jobs/{id}");
        using var json = System.Text.Json.JsonDocument.Parse(await job.TextAsync());
        Assert.Equal(1.0, json.RootElement.GetProperty("progress").GetDouble());
        Assert.Equal("saving the scores", json.RootElement.GetProperty("progressNote").GetString());
    }
}
