using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>An annotator works down the label-error queue with the keyboard.</summary>
[Collection(DemoAppCollection.Name)]
public class HuntingLabelErrorsJourney(DemoApp app)
{
    [Fact]
    public async Task QueueToTrainingImageAndOnWithTheKeyboard()
    {
        // The address from before datasets were in every URL still leads to the (first) dataset's queue.
        var page = await app.OpenAsync("/queue");
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.DemoId}/queue$");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Most suspect first" }).WaitForAsync();
        Assert.Equal(40, await page.Locator(".queue-table tbody tr").CountAsync());
        await page.GetByLabel("Reveal the planted label errors").CheckAsync();
        await DemoApp.WaitForQuery(page, "planted=true");
        await page.Locator(".planted-summary").WaitForAsync();
        Assert.Contains("planted errors are in the first 10%", await page.InnerTextAsync(".planted-summary"));

        await page.Locator("a.queue-link").First.ClickAsync();
        await DemoApp.WaitForQuery(page, "queue=1");
        await page.GetByText("Where this training image is influential").WaitForAsync();
        await page.GetByText("Queue position #1").WaitForAsync();

        await page.Keyboard.PressAsync("j");
        await page.GetByText("Queue position #2").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.GetByText("Queue position #1").WaitForAsync();

        await page.Keyboard.PressAsync("?");
        await page.Locator(".shortcut-help").WaitForAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Locator(".shortcut-help").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }
}
