using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AttributionExplorer.E2E.Tests;

/// <summary>A new user's first minutes: gallery → a held-out image → its methods side by side → a class → an object.</summary>
[Collection(DemoAppCollection.Name)]
public partial class ExploringATargetJourney(DemoApp app, ITestOutputHelper output)
{
    [GeneratedRegex(@"[+-]\d\.\d\de[+-]\d\d")] private static partial Regex Score();

    private static async Task<int> TilesIn(IPage page, string column) =>
        await page.Locator($"section.method-column[aria-label='{column}'] a.influencer-tile").CountAsync();

    [Fact]
    public async Task GalleryToImageToClassToObject()
    {
        var clock = Stopwatch.StartNew();
        var page = await app.OpenAsync("/");
        output.WriteLine($"gallery interactive after {clock.ElapsedMilliseconds} ms (precompute took {app.PrecomputeTime.TotalSeconds:F0} s)");
        Assert.True(await page.Locator("a.gallery-tile").CountAsync() >= 6);

        clock.Restart();
        await page.Locator("a.gallery-tile").First.ClickAsync();
        await DemoApp.WaitForLocation(page, @"/images/\d+$");
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
        Assert.Contains("ranks whole images", await page.Locator("section.method-column[aria-label='ESVM (MoCo)']").InnerTextAsync());

        // The URL alone restores the view.
        var again = await app.OpenAsync(new Uri(page.Url).PathAndQuery);
        Assert.Equal("true", await again.Locator("button.target-chip[data-kind='object']").First.GetAttributeAsync("aria-pressed"));
    }
}
