using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AttributionExplorer.E2E.Tests;

/// <summary>What an annotator used to FiftyOne or CVAT expects: masks on every tile (and a switch that stays off),
/// any tile large with its label, the ensemble's prediction and where they disagree, the chosen object outlined,
/// every page on a phone, charts that answer a hover, and pages that paint fast.</summary>
[Collection(DemoAppCollection.Name)]
public class ReviewingLikeAnAnnotatorJourney(DemoApp app, ITestOutputHelper output)
{
    /// <summary>The first-contentful-paint budget of the gallery, image page and queue, and of switching target.</summary>
    private const double PaintBudgetMs = 500, SwitchBudgetMs = 150;

    private static Task<bool> Shown(ILocator image) =>
        image.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0 && getComputedStyle(i).display !== 'none'");

    [Fact]
    public async Task TilesShowTheirMaskAndTheSwitchHidesItAcrossReloads()
    {
        var page = await app.OpenAsync(app.DemoGallery);
        var mask = page.Locator("a.gallery-tile img.tile-mask").First;
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('a.gallery-tile img.tile-mask'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.True(await Shown(mask));
        Assert.True(await page.Locator(".tile-overlay-bar .legend li[data-class]").CountAsync() >= 2);

        await page.Locator("input[data-action='tile-masks']").UncheckAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.tileMasks === 'off'");
        Assert.False(await Shown(mask));

        await page.ReloadAsync();
        await DemoApp.WaitInteractive(page);
        Assert.False(await Shown(page.Locator("a.gallery-tile img.tile-mask").First));
        await page.WaitForFunctionAsync("() => !document.querySelector(\"input[data-action='tile-masks']\").checked");

        // Off on one page is off on every page with tiles.
        await page.Locator("a.gallery-tile").First.ClickAsync();
        await DemoApp.WaitForLocation(page, $@"^/datasets/{app.DemoId}/images/\d+");
        await page.Locator("a.influencer-tile img.tile-mask").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.False(await Shown(page.Locator("a.influencer-tile img.tile-mask").First));
        // The prerendered switch ignores a click until the circuit is up.
        await DemoApp.WaitInteractive(page);
        await page.Locator("input[data-action='tile-masks']").CheckAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.tileMasks === 'on'");
    }

    [Fact]
    public async Task TheLightboxOpensStepsWithTheArrowKeysShowsTheDisagreementAndClosesWithEscape()
    {
        var page = await app.OpenAsync(app.DemoGallery);
        await page.Locator(".tile-enlarge").First.ClickAsync();
        var box = page.Locator(".lightbox");
        await box.WaitForAsync();
        Assert.Equal("0", await box.GetAttributeAsync("data-index"));
        string first = (await box.GetAttributeAsync("data-image"))!;
        // Held-out images have every checkpoint's prediction: the disagreement layer is drawn.
        var disagreement = box.Locator("img[data-layer='disagreement']");
        await page.WaitForFunctionAsync("() => { const i = document.querySelector(\".lightbox img[data-layer='disagreement']\"); return i && i.complete && i.naturalWidth > 0; }");
        Assert.True(await Shown(disagreement));
        Assert.Matches(@"\d+ of \d+ pixels \(\d+\.\d%\) differ", await box.Locator(".disagreement-share").InnerTextAsync());
        await box.Locator("input[data-toggle='prediction']").CheckAsync();
        await box.Locator("img[data-layer='prediction']").WaitForAsync();

        await page.Keyboard.PressAsync("ArrowRight");
        await page.WaitForFunctionAsync("() => document.querySelector('.lightbox')?.dataset.index === '1'");
        Assert.NotEqual(first, await box.GetAttributeAsync("data-image"));
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.WaitForFunctionAsync("() => document.querySelector('.lightbox')?.dataset.index === '0'");
        Assert.Equal(first, await box.GetAttributeAsync("data-image"));
        await page.Keyboard.PressAsync("Escape");
        await box.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        // A training image from the queue: the final checkpoints' predictions of it make its disagreement layer.
        var queue = await app.OpenAsync($"/datasets/{app.DemoId}/queue");
        await queue.Locator(".queue-table .tile-enlarge").First.ClickAsync();
        await queue.Locator(".lightbox img[data-layer='disagreement']").WaitForAsync();
        Assert.Contains("Queue #1", await queue.Locator(".lightbox-title").InnerTextAsync());
        await queue.Keyboard.PressAsync("ArrowRight");
        await queue.WaitForFunctionAsync("() => document.querySelector('.lightbox-title')?.textContent.includes('Queue #2')");
        await queue.Keyboard.PressAsync("Escape");
        await queue.Locator(".lightbox").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    [SkippableFact]
    public async Task ClickingAnObjectOutlinesItAndMovesThePickerAndSwitchingTargetIsQuick()
    {
        await WaitForQuietMachine();
        var page = await app.OpenAsync(app.DemoGallery);
        await page.Locator("a.gallery-tile").First.ClickAsync();
        await DemoApp.WaitForLocation(page, $@"^/datasets/{app.DemoId}/images/\d+$");
        await DemoApp.WaitInteractive(page);
        Assert.Equal(0, await page.Locator("img.focus-layer").CountAsync());

        long cocoImageId = long.Parse(new Uri(page.Url).AbsolutePath.Split('/').Last());
        var (annotationId, x, y, width) = app.ObjectPixel(cocoImageId);
        var picker = (await page.Locator(".region-picker").BoundingBoxAsync())!;
        double scale = picker.Width / width;
        await page.Mouse.ClickAsync((float)(picker.X + (x + 0.5) * scale), (float)(picker.Y + (y + 0.5) * scale));
        await DemoApp.WaitForLocation(page, $"target=object(%3A|:){annotationId}$");
        await page.Locator($"img.focus-layer[data-selected='object:{annotationId}']").WaitForAsync();
        Assert.Equal(1, await page.Locator("button.target-chip[data-kind='object'][aria-pressed='true']").CountAsync());
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('img.focus-layer'); return i.complete && i.naturalWidth > 0; }");

        // Picker → outline, timed in the page from the click to the re-rendered chips and outline: the median of three
        // switches each way, after one warm-up round.
        await SwitchTarget(page, "class");
        await SwitchTarget(page, "object");
        var toClass = new List<double>();
        var toObject = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            toClass.Add(await SwitchTarget(page, "class"));
            toObject.Add(await SwitchTarget(page, "object"));
        }
        double classMs = Median(toClass), objectMs = Median(toObject);
        output.WriteLine($"switching target: to a class {classMs:F0} ms (each {string.Join(", ", toClass.Select(t => t.ToString("F0")))}), " +
                         $"to an object {objectMs:F0} ms (each {string.Join(", ", toObject.Select(t => t.ToString("F0")))}); budget {SwitchBudgetMs} ms; {Load()}");
        if (Math.Max(classMs, objectMs) > SwitchBudgetMs) SkipWhenSaturated();
        Assert.True(Math.Max(classMs, objectMs) <= SwitchBudgetMs,
            $"switching target took {classMs:F0} ms (class) and {objectMs:F0} ms (object), medians of 3; the budget is {SwitchBudgetMs} ms; {Load()}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The share of CPU time the machine spent busy over the quiet check before the timing (null until
    /// checked).</summary>
    private double? busyBefore;

    /// <summary>The budgets are for the 2-core machine doing this work, not for one that runs other builds and tests
    /// too: a timing over budget on a machine that did not become quiet before it is skipped (with the figures in the
    /// reason) rather than judged. test.sh runs the browser tests after the other test projects, so in CI they run
    /// alone.</summary>
    private void SkipWhenSaturated() =>
        Skip.If(busyBefore is null or > QuietBusyShare, $"timing not judged: {Load()}, the machine never became quiet");

    /// <summary>Busy below this share of the CPU time counts as quiet (the fixture's idle app, worker and browser use
    /// a few percent; a just-started app still compiling its code uses 25–30%).</summary>
    private const double QuietBusyShare = 0.15;

    /// <summary>Before timing: close the pages earlier journeys left open, then wait (at most 90 s) until the CPUs are
    /// mostly idle over 2 s. Measured from /proc/stat, not by the one-minute load average, which still counts the
    /// fixture's demo training for a minute after it ended (it skipped every timing in CI).</summary>
    private async Task WaitForQuietMachine()
    {
        // The journeys before this one leave their pages open (live circuits, each a renderer process): close them, so
        // the browser times these pages alone. The collection runs its tests one at a time, so none is in use.
        foreach (var context in app.Browser.Contexts.ToList()) await context.CloseAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do busyBefore = await BusyShare(TimeSpan.FromSeconds(2));
        while (busyBefore > QuietBusyShare && waited.Elapsed < TimeSpan.FromSeconds(90));
    }

    /// <summary>The share of all CPUs' time spent busy over <paramref name="window"/> (null where /proc/stat is missing).</summary>
    private static async Task<double?> BusyShare(TimeSpan window)
    {
        if (!File.Exists("/proc/stat")) return null;
        var (idle0, total0) = CpuTimes();
        await Task.Delay(window);
        var (idle1, total1) = CpuTimes();
        return total1 == total0 ? 0 : 1 - (double)(idle1 - idle0) / (total1 - total0);
    }

    /// <summary>The first line of /proc/stat: idle (idle + iowait) and total jiffies over all CPUs.</summary>
    private static (long Idle, long Total) CpuTimes()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }

    private string Load() =>
        $"CPU busy {(busyBefore is { } b ? $"{b:P0}" : "unknown")} before timing, load average " +
        $"{(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown")} on {Environment.ProcessorCount} cores";

    /// <summary>Clicks the first chip of the kind that is not pressed; the milliseconds until that kind's chip is
    /// pressed and the outline matches it (the full image has none).</summary>
    private static Task<double> SwitchTarget(IPage page, string kind) => page.EvaluateAsync<double>("""
        kind => new Promise(resolve => {
          const done = () => document.querySelector(`button.target-chip[data-kind='${kind}'][aria-pressed='true']`)
            && (kind === 'image' ? !document.querySelector('img.focus-layer') : document.querySelector(`img.focus-layer[data-selected^='${kind}:']`));
          const start = performance.now();
          const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(performance.now() - start); } });
          watch.observe(document.body, { subtree: true, childList: true, attributes: true });
          document.querySelector(`button.target-chip[data-kind='${kind}']:not([aria-pressed='true'])`).click();
        })
        """, kind);

    [Fact]
    public async Task EveryPageFitsAPhoneWithoutOverlapOrSidewaysScroll()
    {
        // The pages an annotator reaches, found by clicking as they would (ids come from the app, not guessed).
        var desktop = await app.OpenAsync(app.DemoGallery);
        string heldOut = (await desktop.Locator("a.gallery-tile").First.GetAttributeAsync("href"))!;
        await desktop.GotoAsync($"{app.BaseUrl}/datasets/{app.DemoId}/queue");
        string train = (await desktop.Locator("a.queue-link").First.GetAttributeAsync("href"))!;
        string[] paths = ["/", app.DemoGallery, heldOut, train, $"/datasets/{app.DemoId}/queue", $"/datasets/{app.DemoId}/evaluation"];

        var phone = await app.NewPageAsync(390, 844);
        foreach (var path in paths)
        {
            await phone.GotoAsync(app.BaseUrl + path);
            await DemoApp.WaitInteractive(phone);
            var layout = System.Text.Json.JsonSerializer.Deserialize<PhoneLayout>(await phone.EvaluateAsync<string>("""
                () => {
                  const bar = [...document.querySelectorAll('header.mud-appbar .mud-toolbar > *')]
                    .filter(e => !e.classList.contains('mud-spacer'))
                    .map(e => ({ name: e.className || e.tagName, r: e.getBoundingClientRect() }))
                    .filter(e => e.r.width > 0 && e.r.height > 0);
                  const overlaps = [];
                  for (let i = 0; i < bar.length; i++)
                    for (let j = i + 1; j < bar.length; j++) {
                      const a = bar[i].r, b = bar[j].r;
                      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                      if (w > 1 && h > 1) overlaps.push(bar[i].name + ' / ' + bar[j].name);
                    }
                  const outside = bar.filter(e => e.r.right > innerWidth + 1 || e.r.left < -1).map(e => e.name);
                  return JSON.stringify({ scrollWidth: document.documentElement.scrollWidth, innerWidth, overlaps, outside, items: bar.length });
                }
                """), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
            output.WriteLine($"390 px {path}: scrollWidth {layout.ScrollWidth}, {layout.Items} app-bar items");
            Assert.True(layout.Overlaps.Length == 0, $"{path}: app-bar items overlap at 390 px: {string.Join("; ", layout.Overlaps)}");
            Assert.True(layout.Outside.Length == 0, $"{path}: app-bar items outside the screen: {string.Join("; ", layout.Outside)}");
            Assert.True(layout.ScrollWidth <= layout.InnerWidth, $"{path}: the page is {layout.ScrollWidth} px wide on a {layout.InnerWidth} px screen (sideways scroll)");
        }

        // The page links live in the menu on a phone; the title is cut with an ellipsis rather than pushed over.
        await phone.GotoAsync(app.BaseUrl + app.DemoGallery);
        await DemoApp.WaitInteractive(phone);
        Assert.False(await phone.Locator("nav.app-links").IsVisibleAsync());
        Assert.Equal("ellipsis", await phone.Locator(".app-title-text").EvaluateAsync<string>("e => getComputedStyle(e).textOverflow"));
        await phone.Locator(".app-menu button").ClickAsync();
        await phone.Locator(".mud-menu-item", new() { HasText = "Label-error queue" }).ClickAsync();
        await DemoApp.WaitForLocation(phone, $"^/datasets/{app.DemoId}/queue");
    }

    private sealed record PhoneLayout(int ScrollWidth, int InnerWidth, string[] Overlaps, string[] Outside, int Items);

    [Fact]
    public async Task ChartsAnswerAHoverWithTheirValues()
    {
        var page = await app.OpenAsync($"/datasets/{app.DemoId}/evaluation");
        var precision = page.Locator("section[data-kind='label_errors'] figure.precision-curve");
        await precision.WaitForAsync();
        Assert.Equal(["precision (%)", "training images inspected (%)"],
            (await precision.Locator("text.mud-charts-yaxis, text.mud-charts-xaxis").AllTextContentsAsync()).Order());
        Assert.True(await precision.Locator(".mud-chart-legend-item").CountAsync() >= 2);
        await precision.Locator("circle.mud-chart-point[opacity='0']").Nth(3).HoverAsync(new() { Force = true });
        var tooltip = precision.Locator("g.mud-charts-tooltip");
        await page.WaitForFunctionAsync("() => document.querySelector(\"section[data-kind='label_errors'] g.mud-charts-tooltip\")?.style.display === 'block'");
        string said = await tooltip.TextContentAsync() ?? "";
        output.WriteLine($"precision tooltip: {said}");
        Assert.Contains("% precision", said);

        // The interval charts (SVG) give each point's value as its title, shown on hover by the browser.
        Assert.True(await page.Locator("section[data-kind='curation'] svg.curation-curve circle > title").CountAsync() > 0);
        Assert.Contains("mIoU", await page.Locator("section[data-kind='curation'] svg.curation-curve circle > title").First.TextContentAsync());

        var queue = await app.OpenAsync($"/datasets/{app.DemoId}/queue");
        var histogram = queue.Locator("figure.influence-histogram");
        await histogram.Locator("path.mud-chart-bar").First.HoverAsync(new() { Force = true });
        await queue.WaitForFunctionAsync("() => document.querySelector('figure.influence-histogram g.mud-charts-tooltip')?.style.display === 'block'");
        Assert.Contains("images", await histogram.Locator("g.mud-charts-tooltip").TextContentAsync());
    }

    [SkippableFact]
    public async Task GalleryImagePageAndQueuePaintWithinTheBudget()
    {
        var gallery = await app.OpenAsync(app.DemoGallery);
        string heldOut = (await gallery.Locator("a.gallery-tile").First.GetAttributeAsync("href"))!;
        await gallery.CloseAsync();
        await WaitForQuietMachine();
        string[] paths = [app.DemoGallery, heldOut, $"/datasets/{app.DemoId}/queue"];
        // A returning user: one browser context, so a page finds the stylesheets and scripts cached. Judged: five full
        // loads of the page in the user's tab (a link followed, an address typed, a reload); printed too: the first
        // visit (cold cache) and five loads each in a new tab, which adds the browser's own cost of a tab and its
        // renderer process (a plain-text page's paint in a new tab is printed for comparison).
        var context = await app.NewContextAsync();
        var failures = new List<string>();
        var tab = await context.NewPageAsync();
        foreach (var path in paths)
        {
            var cold = await Paint(tab, path);
            var visits = new List<PaintTimes>();
            for (int i = 0; i < 5; i++) visits.Add(await Paint(tab, path));
            var newTab = new List<PaintTimes>();
            for (int i = 0; i < 5; i++)
            {
                var page = await context.NewPageAsync();
                newTab.Add(await Paint(page, path));
                await page.CloseAsync();
            }
            // The median: one load's paint time varies by ±40% on this machine.
            var warm = Median(visits);
            output.WriteLine($"{path}: first contentful paint {warm.Fcp:F0} ms, median of {string.Join(", ", visits.Select(v => v.Fcp.ToString("F0")))} " +
                             $"(response {warm.Response:F0} ms, DOM ready {warm.DomReady:F0} ms); cold cache {cold.Fcp:F0} ms; in a new tab {Median(newTab).Fcp:F0} ms; " +
                             $"content prerendered: {warm.Content}; {Load()}");
            if (warm.Fcp > PaintBudgetMs) failures.Add($"{path}: first contentful paint {warm.Fcp:F0} ms > {PaintBudgetMs} ms (response {warm.Response:F0} ms)");
            if (visits.Concat(newTab).Any(v => !v.Content)) failures.Add($"{path}: no tiles or rows in the page");
            // The app's scripts wait for the first frame (app-start.js): deferred scripts would be requested while the
            // page is parsed and run before DOMContentLoaded, holding back the paint.
            if (visits.Concat(newTab).FirstOrDefault(v => v.ScriptsStart < v.DomReady) is { } early)
                failures.Add($"{path}: the app's scripts were requested at {early.ScriptsStart:F0} ms, before the page was ready ({early.DomReady:F0} ms)");
        }
        await tab.CloseAsync();
        var plain = new List<PaintTimes>();
        for (int i = 0; i < 5; i++)
        {
            var page = await context.NewPageAsync();
            plain.Add(await Paint(page, "/favicon.svg", interactive: false));
            await page.CloseAsync();
        }
        output.WriteLine($"a static file (favicon.svg) in a new tab: first contentful paint {Median(plain).Fcp:F0} ms");
        // Paint times are judged only on a machine that was quiet before the timing (see SkipWhenSaturated).
        if (failures.Count > 0 && failures.All(f => f.Contains("first contentful paint"))) SkipWhenSaturated();
        Assert.True(failures.Count == 0, string.Join("; ", failures) + "; " + Load());
    }

    private static PaintTimes Median(List<PaintTimes> visits) => visits.OrderBy(v => v.Fcp).ElementAt(visits.Count / 2);

    private sealed record PaintTimes(double Fcp, double ScriptsStart, double Response, double DomReady, bool Content);

    /// <summary>Loads the page in <paramref name="page"/> and reads the browser's paint timing, and when Blazor's script
    /// was requested (infinity for a page without it).</summary>
    private async Task<PaintTimes> Paint(IPage page, string path, bool interactive = true)
    {
        await page.GotoAsync(app.BaseUrl + path);
        var t = await page.EvaluateAsync<double[]>("""
            () => new Promise(resolve => {
              const read = () => {
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                const nav = performance.getEntriesByType('navigation')[0];
                if (!fcp || !nav.domContentLoadedEventEnd) { setTimeout(read, 20); return; }
                const blazor = performance.getEntriesByType('resource').find(r => r.name.includes('/_framework/blazor.web.'));
                resolve([fcp.startTime, blazor ? blazor.startTime : 1e9, nav.responseEnd, nav.domContentLoadedEventEnd]);
              };
              read();
            })
            """);
        // The app prerenders each page's content, so the first contentful paint already shows the tiles/rows.
        bool content = !interactive || await page.Locator("a.gallery-tile, a.influencer-tile, .queue-table tbody tr").CountAsync() > 0;
        if (interactive) await DemoApp.WaitInteractive(page);
        return new PaintTimes(t[0], t[1], t[2], t[3], content);
    }
}
