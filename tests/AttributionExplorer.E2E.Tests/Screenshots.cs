using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>The README's screenshots (docs/screenshots): gallery, image page, its lightbox with the disagreement layer,
/// queue and evaluation page, light and dark, taken from the journeys' demo. Written only when AE_SCREENSHOTS names
/// a folder: `AE_SCREENSHOTS=$PWD/docs/screenshots dotnet test tests/AttributionExplorer.E2E.Tests --filter Screenshots`.</summary>
[Collection(DemoAppCollection.Name)]
public class Screenshots(DemoApp app)
{
    [SkippableFact]
    public async Task GalleryImagePageLightboxQueueAndEvaluationInBothThemes()
    {
        string? folder = Environment.GetEnvironmentVariable("AE_SCREENSHOTS");
        Skip.If(string.IsNullOrEmpty(folder), "set AE_SCREENSHOTS to a folder to write the README's screenshots");
        Directory.CreateDirectory(folder);
        foreach (var theme in new[] { "light", "dark" })
        {
            var context = await app.NewContextAsync();
            await context.AddCookiesAsync([new Cookie { Name = "ae-theme", Value = theme, Url = app.BaseUrl }]);
            var page = await context.NewPageAsync();
            string File(string name) => Path.Combine(folder, $"{name}-{theme}.png");
            async Task Shot(string path, string name)
            {
                await page.GotoAsync(app.BaseUrl + path);
                await DemoApp.WaitInteractive(page);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = File(name) });
            }

            await Shot(app.DemoGallery, "gallery");
            string heldOut = (await page.Locator("a.gallery-tile").First.GetAttributeAsync("href"))!;
            await Shot(heldOut, "image-page");
            await page.Locator(".method-columns .tile-enlarge").First.ClickAsync();
            await page.WaitForFunctionAsync("() => { const i = document.querySelector(\".lightbox img[data-layer='disagreement']\"); return i && i.complete && i.naturalWidth > 0; }");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = File("lightbox") });
            await Shot($"/datasets/{app.DemoId}/queue", "queue");
            await Shot($"/datasets/{app.DemoId}/evaluation", "evaluation");
            await context.CloseAsync();
            Assert.All(new[] { "gallery", "image-page", "lightbox", "queue", "evaluation" }, n => Assert.True(new FileInfo(File(n)).Length > 10_000, n));
        }
    }
}
