using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AttributionExplorer.E2E.Tests;

/// <summary>A new user's first minutes: gallery → a held-out image → its methods side by side → a class → an object.</summary>
[Collection(DemoAppCollection.Name)]
public partial class ExploringATargetJourney(DemoApp app, ITestOutputHelper output)
{
    /// <summary>A score on its column's fixed scale: signed (true minus), fixed decimals, never scientific notation.</summary>
    [GeneratedRegex(@"(^|\s)[+\u2212]?\d+\.\d+(\s|$)")] private static partial Regex Score();

    private static async Task<int> TilesIn(IPage page, string column) =>
        await page.Locator($"section.method-column[aria-label='{column}'] a.influencer-tile").CountAsync();

    [Fact]
    public async Task GalleryToImageToClassToObject()
    {
        var clock = Stopwatch.StartNew();
        var page = await app.OpenAsync(app.DemoGallery);
        output.WriteLine($"gallery interactive after {clock.ElapsedMilliseconds} ms (precompute took {app.PrecomputeTime.TotalSeconds:F0} s)");
        Assert.True(await page.Locator("a.gallery-tile").CountAsync() >= 6);

        clock.Restart();
        await page.Locator("a.gallery-tile").First.ClickAsync();
        await DemoApp.WaitForLocation(page, $@"^/datasets/{app.DemoId}/images/\d+$");
        await DemoApp.WaitInteractive(page);
        await page.Locator("section.method-column[aria-label='TRAK positive'] a.influencer-tile").First.WaitForAsync();
        output.WriteLine($"image page with columns after {clock.ElapsedMilliseconds} ms");

        string[] scored = ["TRAK positive", "TRAK negative", "ESVM (MoCo)", "MoCo cosine"];
        foreach (var column in scored) Assert.True(await TilesIn(page, column) >= 3, $"{column} has fewer than 3 tiles");
        Assert.Matches(Score(), await page.Locator("section.method-column[aria-label='TRAK negative'] a.influencer-tile").First.InnerTextAsync());
        Assert.Contains("CLIP is not configured", await page.Locator("section.method-column[aria-label='CLIP cosine']").InnerTextAsync());
        Assert.True(await page.Locator(".agreement-table tbody tr").CountAsync() >= 3);

        clock.Restart();
        await page.Locator("button.target-chip[data-kind='class']").First.ClickAsync();
        await DemoApp.WaitForLocation(page, @"target=class(%3A|:)\d+");
        await page.Locator("button.target-chip[data-kind='class'][aria-pressed='true']").WaitForAsync();
        output.WriteLine($"class target after {clock.ElapsedMilliseconds} ms");
        foreach (var column in scored) Assert.True(await TilesIn(page, column) >= 1, $"{column} is empty for the class target");

        await page.Locator("button.target-chip[data-kind='object']").First.ClickAsync();
        await DemoApp.WaitForLocation(page, @"target=object(%3A|:)\d+");
        await page.Locator("button.target-chip[data-kind='object'][aria-pressed='true']").WaitForAsync();
        Assert.True(await TilesIn(page, "TRAK positive") >= 3);
        Assert.Contains("does not rank object targets", await page.Locator("section.method-column[aria-label='ESVM (MoCo)']").InnerTextAsync());

        // Clicking an object on the image picks it as the target, named in the address by its COCO annotation id.
        long imageId = long.Parse(new Uri(page.Url).AbsolutePath.Split('/').Last());
        var (annotationId, x, y, width) = app.ObjectPixel(imageId);
        await page.Locator("[data-action='draw-region']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        var picker = (await page.Locator(".region-picker").BoundingBoxAsync())!;
        double scale = picker.Width / width;
        await page.Mouse.ClickAsync((float)(picker.X + (x + 0.5) * scale), (float)(picker.Y + (y + 0.5) * scale));
        await DemoApp.WaitForLocation(page, $"target=object(%3A|:){annotationId}$");

        // The URL alone restores the view.
        var again = await app.OpenAsync(new Uri(page.Url).PathAndQuery);
        await again.Locator("button.target-chip[data-kind='object'][aria-pressed='true']").WaitForAsync();
        Assert.Equal(1, await again.Locator("button.target-chip[aria-pressed='true']").CountAsync());

        // One method's ranks 11–20 only.
        var paged = await app.OpenAsync($"/datasets/{app.DemoId}/images/{imageId}?method=trak&page=2");
        await paged.Locator("section.method-column[aria-label='TRAK positive'] a.influencer-tile").First.WaitForAsync();
        Assert.Equal(0, await paged.Locator("section.method-column[data-method='esvm']").CountAsync());
        Assert.Contains("ranks 11–20", await paged.Locator(".column-pager").InnerTextAsync());
        Assert.Contains("#11", await paged.Locator("section.method-column[aria-label='TRAK positive'] a.influencer-tile").First.InnerTextAsync());
    }
}
