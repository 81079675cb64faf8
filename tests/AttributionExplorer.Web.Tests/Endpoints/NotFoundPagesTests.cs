using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>The real app, loaded as a browser loads it: a missing dataset, image, run or export answers HTTP 404 with
/// a page that says what is missing and links back; pages that exist answer 200; the saved theme is prerendered.</summary>
public sealed class NotFoundPagesTests(NotFoundPagesTests.App app) : IClassFixture<NotFoundPagesTests.App>
{
    public sealed class App : WebApplicationFactory<Program>
    {
        internal SeededDatabase Seeded { get; } = new();
        public string DataRoot { get; } = Directory.CreateTempSubdirectory("ae-web-data").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("AttributionExplorer:DatabasePath", Seeded.Database.Path);
            builder.UseSetting("AttributionExplorer:DataRoot", DataRoot);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            SqliteConnection.ClearAllPools();
            if (!Directory.Exists(DataRoot)) return;
            Directory.Delete(DataRoot, recursive: true);
            Seeded.Dispose();
        }
    }

    private long Dataset => app.Seeded.DatasetId;
    private static string? token;

    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> Browse(string path, string? cookie = null)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        // Signed in (every page needs it): an API token stands for the sign-in cookie here.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ??= app.Seeded.TokenFor("pages-admin", AttributionExplorer.Core.Accounts.UserRoles.Admin));
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AMissingImageOrDatasetIsA404PageWithALinkBack()
    {
        var image = await Browse($"/datasets/{Dataset}/images/999999");
        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (image.Status, image.MediaType));
        Assert.True(WebUtility.HtmlDecode(image.Body).Contains("No image with COCO id 999999 in dataset “sample”"), image.Body);
        Assert.Contains($"href=\"/datasets/{Dataset}\"", image.Body);

        foreach (string path in new[] { $"/datasets/{Dataset + 50}", $"/datasets/{Dataset + 50}/queue", $"/datasets/{Dataset + 50}/evaluation", $"/datasets/{Dataset + 50}/images/104" })
        {
            var page = await Browse(path);
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Contains($"No dataset with id {Dataset + 50}", page.Body);
            Assert.Contains("class=\"not-found-back\"", page.Body);
        }
    }

    [Fact]
    public async Task PagesThatExistAre200AndNameImagesByCocoId()
    {
        var heldOut = await Browse($"/datasets/{Dataset}/images/104");
        Assert.Equal(HttpStatusCode.OK, heldOut.Status);
        Assert.Contains("Held-out image 104", heldOut.Body);
        Assert.Equal(HttpStatusCode.OK, (await Browse($"/datasets/{Dataset}/images/100")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Browse($"/datasets/{Dataset}/queue?page=40")).Status);
    }

    [Fact]
    public async Task UnknownAddressesOldImageIdsAndMissingExportsAre404PagesForABrowser()
    {
        foreach (string path in new[] { "/no/such/page", "/images/999999", $"/datasets/{Dataset}/train/999999",
                     $"/api/datasets/{Dataset}/exports/999/download?format=txt", $"/api/datasets/{Dataset}/jobs/999" })
        {
            var page = await Browse(path);
            Assert.Equal((HttpStatusCode.NotFound, "text/html"), (page.Status, page.MediaType));
            Assert.Contains("<a href=\"/\">Back to the datasets</a>", page.Body);
            Assert.Contains("rel=\"icon\"", page.Body);
        }
        // An API client still gets JSON.
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ??= app.Seeded.TokenFor("pages-admin", AttributionExplorer.Core.Accounts.UserRoles.Admin));
        var json = await client.GetAsync($"/api/datasets/{Dataset}/exports/999/download?format=txt");
        Assert.Equal((HttpStatusCode.NotFound, "application/json"), (json.StatusCode, json.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task TheSavedThemeIsPrerenderedAndEveryPageLinksTheFavicon()
    {
        var dark = await Browse($"/datasets/{Dataset}", "ae-theme=dark");
        Assert.Contains("color-scheme:dark", dark.Body);
        var light = await Browse($"/datasets/{Dataset}");
        Assert.Contains("color-scheme:light", light.Body);
        Assert.Contains("<link rel=\"icon\" href=\"favicon.svg\"", light.Body);
    }

    [Fact]
    public async Task TheTileMaskSwitchIsPrerenderedAndNoScriptRunsBeforeTheFirstPaint()
    {
        var hidden = await Browse($"/datasets/{Dataset}", "ae-tile-masks=off");
        Assert.Contains("<html lang=\"en\" data-tile-masks=\"off\">", hidden.Body);
        var shown = await Browse($"/datasets/{Dataset}");
        Assert.Contains("<html lang=\"en\" data-tile-masks=\"on\">", shown.Body);
        // No script in <head>, and one script in the page, deferred: it adds the app's scripts (Blazor's first) only
        // after the browser has drawn the prerendered page, so neither the parser nor the first paint waits for them.
        string head = shown.Body[..shown.Body.IndexOf("</head>", StringComparison.Ordinal)];
        Assert.DoesNotContain("<script", head);
        var script = Assert.Single(System.Text.RegularExpressions.Regex.Matches(shown.Body, "<script[^>]*>").Select(m => m.Value));
        Assert.Contains("src=\"app-start.js\"", script);
        Assert.Contains(" defer", script);
        var sources = System.Text.RegularExpressions.Regex.Match(script, "data-scripts=\"([^\"]*)\"").Groups[1].Value.Split(' ');
        Assert.Equal(3, sources.Length);
        Assert.Matches(@"^_framework/blazor\.web\.[a-z0-9]+\.js$", sources[0]);
        Assert.Matches(@"^_content/MudBlazor/MudBlazor\.min\.[a-z0-9]+\.js$", sources[1]);
        Assert.Equal("app.js", sources[2]);
    }
}
