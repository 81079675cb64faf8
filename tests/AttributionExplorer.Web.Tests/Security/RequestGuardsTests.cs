using System.Net;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Tests.Shared;

namespace AttributionExplorer.Web.Tests.Security;

/// <summary>Closed CORS and cross-site request forgery, security headers on every kind of response.</summary>
public sealed class RequestGuardsTests(SecuredApp app) : IClassFixture<SecuredApp>
{
    private string Exports => $"/api/datasets/{app.DatasetId}/exports";

    private static HttpRequestMessage Post(string url, HttpContent content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return request;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ACrossOriginUploadIsRefusedWith403ProblemDetailsEvenWithAValidToken()
    {
        using var admin = app.TokenClient("cors.admin", UserRoles.Admin);
        var response = await admin.SendAsync(Post($"/api/datasets/{app.DatasetId}/uploads", SecuredApp.PngUpload(), ("Origin", "http://evil.example")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("Cross-origin request refused: Origin http://evil.example is not this site (http://localhost)", detail);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(Directory.Exists(Path.Combine(app.DataRoot, "uploads")) && Directory.EnumerateFiles(Path.Combine(app.DataRoot, "uploads"), "*", SearchOption.AllDirectories).Any());

        var crossSite = await admin.SendAsync(Post(Exports, Json("{}"), ("Sec-Fetch-Site", "cross-site")));
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        var sameOrigin = await admin.SendAsync(Post(Exports, Json("{}"), ("Origin", "http://localhost")));
        Assert.Equal(HttpStatusCode.Created, sameOrigin.StatusCode);
        // A preflight gets no CORS grant either.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Exports);
        preflight.Headers.Add("Origin", "http://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await admin.SendAsync(preflight)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ACrossOriginWebSocketHandshakeToTheCircuitIsRefused()
    {
        var sockets = app.Server.CreateWebSocketClient();
        sockets.ConfigureRequest = r => r.Headers.Origin = "http://evil.example";
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => sockets.ConnectAsync(new Uri("ws://localhost/_blazor?id=x"), CancellationToken.None));
        Assert.Contains("403", refused.Message);
    }

    [Fact]
    public async Task ASignedInBrowserSessionMustProveItsStateChangingCallsComeFromTheApp()
    {
        app.AddUser("csrf.ann", UserRoles.Annotator);
        using var browser = app.Client();
        await SecuredApp.SignIn(browser, "csrf.ann", SecuredApp.Password);

        var bare = await browser.SendAsync(Post(Exports, Json("{}")));
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Contains("antiforgery token", await bare.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(Post(Exports, Json("{}"), ("Sec-Fetch-Site", "same-origin")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(Post(Exports, Json("{}"), ("Origin", "http://localhost")))).StatusCode);
        string token = await SecuredApp.FormToken(browser, $"/datasets/{app.DatasetId}");
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(Post(Exports, Json("{}"), ("RequestVerificationToken", token)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(Post(Exports, Json("{}"), ("RequestVerificationToken", "forged")))).StatusCode);
    }

    [Fact]
    public async Task ACrossSiteSignInFormIsRefused()
    {
        app.AddUser("login.csrf", UserRoles.Viewer);
        using var client = app.Client();
        string token = await SecuredApp.FormToken(client, "/signin");
        var response = await client.SendAsync(Post("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["__RequestVerificationToken"] = token, ["name"] = "login.csrf", ["password"] = SecuredApp.Password }), ("Origin", "http://evil.example")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var noToken = await client.SendAsync(Post("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["name"] = "login.csrf", ["password"] = SecuredApp.Password }), ("Origin", "http://localhost")));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("anti-forgery token", await noToken.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/signin", "text/html")]
    [InlineData("/healthz", "application/json")]
    [InlineData("/api/datasets/1/ranking-methods", "application/json")]
    [InlineData("/api/nothing/here", "application/json")]
    [InlineData("/datasets/1", "text/html")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path, string accept)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", accept);
        var response = await client.SendAsync(request);

        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}

/// <summary>Uploads and sign-ins over their configured limits get 429 with Retry-After and a ProblemDetails body.</summary>
public sealed class RateLimitedApp() : SecuredApp(new Dictionary<string, string>
{
    ["AttributionExplorer:Security:RateLimits:Uploads:PermitLimit"] = "2",
    ["AttributionExplorer:Security:RateLimits:Uploads:WindowSeconds"] = "600",
    ["AttributionExplorer:Security:RateLimits:SignIn:PermitLimit"] = "3",
    ["AttributionExplorer:Security:RateLimits:SignIn:WindowSeconds"] = "600",
});

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task UploadsOverTheLimitGet429WithRetryAfter()
    {
        using var admin = app.TokenClient("busy.admin", UserRoles.Admin);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/datasets/{app.DatasetId}/uploads", SecuredApp.PngUpload())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/datasets/{app.DatasetId}/uploads", SecuredApp.PngUpload())).StatusCode);

        var refused = await admin.PostAsync($"/api/datasets/{app.DatasetId}/uploads", SecuredApp.PngUpload());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 600);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        string detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("Too many uploads requests: at most 2 per 600 s (AttributionExplorer:Security:RateLimits:Uploads).", detail);
        // Another user has their own budget.
        using var other = app.TokenClient("other.admin", UserRoles.Admin);
        Assert.Equal(HttpStatusCode.Accepted, (await other.PostAsync($"/api/datasets/{app.DatasetId}/uploads", SecuredApp.PngUpload())).StatusCode);
    }

    [Fact]
    public async Task SignInsOverTheLimitGet429()
    {
        using var client = app.Client();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++) statuses.Add((await SecuredApp.SignIn(client, "nobody", "wrong password " + i)).StatusCode);
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }
}
