using System.Net.Http.Headers;
using System.Text;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>The real app (Production settings) on a seeded database, sent malformed requests: none may end in a 500,
/// an empty body, or a stack trace.</summary>
public sealed class MalformedRequestCorpusTests(MalformedRequestCorpusTests.App app, ITestOutputHelper output) : IClassFixture<MalformedRequestCorpusTests.App>
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
            // The corpus sends dozens of uploads and jobs within a second: the rate limits are not what it tests.
            builder.UseSetting("AttributionExplorer:Security:RateLimits:Uploads:PermitLimit", "10000");
            builder.UseSetting("AttributionExplorer:Security:RateLimits:Jobs:PermitLimit", "10000");
        }

        /// <summary>An admin's API token for the seeded database.</summary>
        internal string AdminToken => adminToken ??= Seeded.TokenFor("corpus-admin", AttributionExplorer.Core.Accounts.UserRoles.Admin);
        private string? adminToken;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            SqliteConnection.ClearAllPools();
            // WebApplicationFactory disposes both synchronously and asynchronously.
            if (!Directory.Exists(DataRoot)) return;
            Directory.Delete(DataRoot, recursive: true);
            Seeded.Dispose();
        }
    }

    public sealed record Case(string Name, HttpMethod Method, string Url, Func<HttpContent?> Body);

    private static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    private static HttpContent Upload(byte[] bytes, string field = "file", string name = "x.png")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, field, name);
        return form;
    }

    // Not malformed: "1" (the web JSON defaults read numbers from strings) and 1e308 (a box clamped to the image).
    private static readonly string[] BadNumbers = ["1e400", "-1e400", "true", "[]", "{}", "\"\"", "\"x\"", "null"];

    private IEnumerable<Case> Corpus()
    {
        long dataset = app.Seeded.DatasetId, image = app.Seeded.HeldOut;
        string regions = $"/api/datasets/{dataset}/images/{image}/region-jobs", exports = $"/api/datasets/{dataset}/exports", uploads = $"/api/datasets/{dataset}/uploads";
        Case Post(string name, string url, Func<HttpContent?> body) => new(name, HttpMethod.Post, url, body);
        Case Get(string url) => new($"GET {url}", HttpMethod.Get, url, () => null);

        foreach (string body in new[] { "", "{", "}", "[]", "null", "5", "\"x\"", "{\"x\":\"a\"}", "{\"x\":NaN}", "{'x':1}", "{\"x\":1,}",
                     "{\"rleCounts\":5}", "{\"rleCounts\":\"!!!\"}", "{\"rleCounts\":\"ooooooooooooooooo0\"}", "{\"rleCounts\":\"0<\"}",
                     "{\"rleCounts\":\"\"}", "{\"rleCounts\":[1,2]}", "{\"rleCounts\":\"60\"}", "{\"rleCounts\":\"6\"}",
                     "{\"x\":0,\"y\":0,\"width\":-5,\"height\":2}", "{\"x\":50,\"y\":50,\"width\":1,\"height\":1}", "{\"x\":0,\"y\":0,\"width\":0,\"height\":0}",
                     "{\"x\":0,\"y\":0}", $"{{\"x\":0,\"y\":0,\"width\":1,\"height\":1,\"label\":\"{new string('l', 300)}\"}}",
                     $"{{\"x\":0,\"y\":0,\"width\":1,\"height\":1,\"deep\":{new string('[', 200)}{new string(']', 200)}}}",
                     $"{{\"label\":\"{new string('l', 1 << 20)}\"}}", "{\"x\":0,\"y\":0,\"width\":1,\"height\":1,\"label\":5}" })
            yield return Post($"region body {Shorten(body)}", regions, () => Json(body));
        foreach (string field in new[] { "x", "y", "width", "height" })
            foreach (string value in BadNumbers)
                yield return Post($"region {field} = {value}", regions, () => Json(
                    "{\"x\":0,\"y\":0,\"width\":1,\"height\":1}".Replace($"\"{field}\":{(field is "x" or "y" ? 0 : 1)}", $"\"{field}\":{value}")));
        foreach (string type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded" })
        {
            yield return Post($"region as {type}", regions, () => new StringContent("x=1", Encoding.UTF8, type));
            yield return Post($"export as {type}", exports, () => new StringContent("author=a", Encoding.UTF8, type));
        }
        foreach (string id in new[] { "99999", "-1", "abc", "99999999999999999999", "0" })
        {
            yield return Post($"region on image {id}", $"/api/datasets/{dataset}/images/{id}/region-jobs", () => Json("{\"x\":0,\"y\":0,\"width\":1,\"height\":1}"));
            yield return Post($"export of dataset {id}", $"/api/datasets/{id}/exports", () => Json("{}"));
            yield return Post($"upload to dataset {id}", $"/api/datasets/{id}/uploads", () => Upload(PngBytes.Rgb(3, 2)));
            yield return Get($"/api/datasets/{dataset}/jobs/{id}");
            yield return Get($"/api/datasets/{dataset}/exports/{id}");
            yield return Get($"/api/datasets/{dataset}/exports/{id}/download?format=txt");
            yield return Get($"/api/datasets/{dataset}/images/{id}/pixels");
            yield return Get($"/api/datasets/{dataset}/images/{id}/masks/gt.png");
            yield return Get($"/api/datasets/{dataset}/images/{id}/masks/pred.png?checkpoint=1");
        }
        // The author is the signed-in user: an "author" field is not read, so only its size can make it malformed.
        foreach (string body in new[] { "", "{", "null", "[]", "5", "{\"runId\":true}", "{\"runId\":1.5}", "{\"dropFlagStates\":{}}",
                     "{\"dropBottomPercent\":[]}", $"{{\"author\":\"{new string('a', 1 << 20)}\"}}",
                     "{\"runId\":\"x\"}", "{\"runId\":99999}", "{\"runId\":-1}",
                     "{\"dropBottomPercent\":-1}", "{\"dropBottomPercent\":150}", "{\"dropBottomPercent\":1e400}",
                     "{\"dropBottomPercent\":\"x\"}", "{\"dropFlagStates\":[1,2]}", "{\"dropFlagStates\":[\"nonsense\"]}",
                     "{\"dropFlagStates\":\"x\"}", "{\"dropFlagStates\":[null]}", "{\"dropBottomPercent\":10}" })
            yield return Post($"export body {Shorten(body)}", exports, () => Json(body));
        foreach (string query in new[] { "offset=abc", "limit=abc", "offset=99999999999999999999", "limit=1e3" })
            yield return Get($"{exports}?{query}");
        foreach (string query in new[] { "size=abc", "size=1e9", "size=99999999999" })
            yield return Get($"/api/datasets/{dataset}/images/{image}/pixels?{query}");
        foreach (string query in new[] { "class=abc", "outline=maybe", "class=99999999999" })
            yield return Get($"/api/datasets/{dataset}/images/{image}/masks/gt.png?{query}");
        foreach (string query in new[] { "", "checkpoint=abc", "checkpoint=1&class=x", "checkpoint=99999999999999999999" })
            yield return Get($"/api/datasets/{dataset}/images/{image}/masks/pred.png?{query}");
        yield return Get($"/api/datasets/{dataset}/exports/1/download?format=xyz");
        yield return Get($"/api/datasets/{dataset}/exports/1/download");
        yield return Post("upload without a body", uploads, () => null);
        yield return Post("upload as JSON", uploads, () => Json("{\"file\":\"x\"}"));
        yield return Post("upload in another field", uploads, () => Upload(PngBytes.Rgb(3, 2), field: "image"));
        yield return Post("upload of text", uploads, () => Upload("not an image"u8.ToArray(), name: "notes.txt"));
        yield return Post("upload of a decompression bomb", uploads, () => Upload(PngBytes.Rgb(100_000, 100_000, rowsToCompress: 1), name: "bomb.png"));
        yield return Post("upload of 46341² declared", uploads, () => Upload(PngBytes.Rgb(46341, 46341, rowsToCompress: 1), name: "wide.png"));
        yield return Post("upload of a truncated PNG", uploads, () => Upload(PngBytes.Rgb(3, 2)[..40]));
        yield return Post("upload of an empty file", uploads, () => Upload([]));
        yield return Post("upload over 20 MiB", uploads, () => Upload(new byte[(20 << 20) + 100]));
        yield return Post("upload with a broken multipart body", uploads, () => new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", Encoding.UTF8, "multipart/form-data"));
        foreach (string url in new[] { regions, exports, uploads, $"/api/datasets/{dataset}/jobs/1", $"/api/datasets/{dataset}/exports/1", $"/api/datasets/{dataset}/exports/1/download", $"/api/datasets/{dataset}/images/{image}/pixels", $"/api/datasets/{dataset}/images/{image}/masks/gt.png" })
            foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
                yield return new($"{method} {url}", method, url, () => Json("{}"));
        foreach (string url in new[] { "/api", "/api/", "/api/nothing", "/api/images", "/api/images/1", "/api/datasets/1" })
        {
            yield return Get(url);
            yield return Post($"POST {url}", url, () => Json("{}"));
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "…";

    [Fact]
    public async Task NoMalformedRequestEndsInA500AnEmptyBodyOrAStackTrace()
    {
        Assert.Equal(app.Seeded.Database.Path, PathResolver.Resolve(app.Services.GetRequiredService<AppOptions>().DatabasePath));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.AdminToken);
        var cases = Corpus().ToList();
        var problems = new List<string>();
        var byStatus = new SortedDictionary<int, int>();
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(c.Method, c.Url) { Content = c.Body() };
            using var response = await client.SendAsync(request);
            int status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            string body = await response.Content.ReadAsStringAsync();
            string? media = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500) problems.Add($"{c.Name}: {status}");
            else if (status < 400) problems.Add($"{c.Name}: accepted with {status}");
            else if (string.IsNullOrWhiteSpace(body)) problems.Add($"{c.Name}: {status} with an empty body");
            else if (body.Contains("   at ") || body.Contains("Exception:")) problems.Add($"{c.Name}: {status} shows a stack trace or exception");
            else if (media is not ("application/problem+json" or "application/json")) problems.Add($"{c.Name}: {status} as {media}");
        }
        output.WriteLine($"{cases.Count} malformed requests: " + string.Join(", ", byStatus.Select(kv => $"{kv.Value}× {kv.Key}")));
        Assert.True(cases.Count >= 150, $"{cases.Count} cases");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(Directory.Exists(Path.Combine(app.DataRoot, "uploads")) ? Directory.GetFiles(Path.Combine(app.DataRoot, "uploads"), "*", SearchOption.AllDirectories) : []);
    }
}
