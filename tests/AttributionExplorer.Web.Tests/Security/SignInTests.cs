using System.Net;
using System.Text.Json;
using AttributionExplorer.Core.Accounts;

namespace AttributionExplorer.Web.Tests.Security;

/// <summary>Signed out, only the sign-in page, static files and the health check answer; signing in, failing,
/// lockout, signing out and sessions ended by a changed security stamp.</summary>
public sealed class SignInTests(SecuredApp app) : IClassFixture<SecuredApp>
{
    private static HttpRequestMessage Page(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "text/html");
        return request;
    }

    [Fact]
    public async Task SignedOutPageRequestsAreSentToTheSignInPageAndComeBack()
    {
        using var client = app.Client();
        foreach (string path in new[] { "/", $"/datasets/{app.DatasetId}/queue?method=x", $"/datasets/{app.DatasetId}/train/{app.Seeded.Train[0]}" })
        {
            var response = await client.SendAsync(Page(path));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/signin?ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task SignedOutApiCallsAndTheCircuitGetA401ProblemDetails()
    {
        using var client = app.Client();
        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/api/datasets/{app.DatasetId}/ranking-methods"),
                     (HttpMethod.Get, $"/api/datasets/{app.DatasetId}/images/{app.Seeded.HeldOut}/pixels"), (HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1") })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Origin", "http://localhost");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Contains("Sign in first", problem.GetProperty("detail").GetString());
        }
        var post = await client.PostAsync($"/api/datasets/{app.DatasetId}/exports", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task TheSignInPageAndTheHealthCheckArePublicAndNameNoDataset()
    {
        using var client = app.Client();
        var signIn = await client.SendAsync(Page("/signin"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        string html = await signIn.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/account/signin\"", html);
        Assert.DoesNotContain("sample", html);
        Assert.DoesNotContain("blazor.web.js", html);
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedAndTheRightOneSignsInUntilSignOut()
    {
        app.AddUser("ann", UserRoles.Annotator);
        using var client = app.Client();

        var wrong = await SecuredApp.SignIn(client, "ann", "not the password", "/datasets/1");
        Assert.Equal("/signin?error=invalid&ReturnUrl=%2Fdatasets%2F1", wrong.Headers.Location!.OriginalString);
        var unknown = await SecuredApp.SignIn(client, "nobody", SecuredApp.Password);
        Assert.Equal("/signin?error=invalid", unknown.Headers.Location!.OriginalString);
        Assert.Contains("Wrong user name or password.", await (await client.SendAsync(Page("/signin?error=invalid"))).Content.ReadAsStringAsync());

        var right = await SecuredApp.SignIn(client, "ANN", SecuredApp.Password, $"/datasets/{app.DatasetId}");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal($"/datasets/{app.DatasetId}", right.Headers.Location!.OriginalString);
        var page = await client.SendAsync(Page($"/datasets/{app.DatasetId}"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-user=\"ann\"", html);
        Assert.Contains("action=\"/account/signout\"", html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/datasets/{app.DatasetId}/ranking-methods")).StatusCode);
        Assert.Equal(0, app.Users.FindByNormalizedName("ANN")!.AccessFailedCount);

        string token = await SecuredApp.FormToken(client, $"/datasets/{app.DatasetId}");
        using var withoutToken = new HttpRequestMessage(HttpMethod.Post, "/account/signout") { Content = new FormUrlEncodedContent([]) };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(withoutToken)).StatusCode);
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/account/signout")
            { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }) };
        var signedOut = await client.SendAsync(signOut);
        Assert.Equal("/signin?signedOut=1", signedOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(Page($"/datasets/{app.DatasetId}"))).StatusCode);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheUserOutEvenForTheRightPassword()
    {
        app.AddUser("lee", UserRoles.Viewer);
        using var client = app.Client();
        for (int i = 1; i < 5; i++)
            Assert.Equal("/signin?error=invalid", (await SecuredApp.SignIn(client, "lee", $"wrong guess {i}")).Headers.Location!.OriginalString);
        Assert.Equal(4, app.Users.FindByNormalizedName("LEE")!.AccessFailedCount);

        Assert.Equal("/signin?error=locked", (await SecuredApp.SignIn(client, "lee", "wrong guess 5")).Headers.Location!.OriginalString);
        Assert.Equal("/signin?error=locked", (await SecuredApp.SignIn(client, "lee", SecuredApp.Password)).Headers.Location!.OriginalString);
        var lee = app.Users.FindByNormalizedName("LEE")!;
        Assert.True(lee.IsLockedOut(DateTimeOffset.UtcNow.AddMinutes(14)));
        Assert.False(lee.IsLockedOut(DateTimeOffset.UtcNow.AddMinutes(16)));
        Assert.Contains("locked out for up to 15 minutes", await (await client.SendAsync(Page("/signin?error=locked"))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ANewSecurityStampEndsTheSession()
    {
        app.AddUser("sam", UserRoles.Annotator);
        using var client = app.Client();
        await SecuredApp.SignIn(client, "sam", SecuredApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/datasets/{app.DatasetId}/ranking-methods")).StatusCode);

        var sam = app.Users.FindByNormalizedName("SAM")!;
        app.Users.Update(sam with { Role = UserRoles.Viewer, SecurityStamp = Guid.NewGuid().ToString("N") }, sam.ConcurrencyStamp);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/datasets/{app.DatasetId}/ranking-methods")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("http://evil.example/")]
    public async Task AfterSigningInOnlyAddressesOnThisSiteAreFollowed(string returnUrl)
    {
        app.AddUser("r" + Math.Abs(returnUrl.GetHashCode()), UserRoles.Viewer);
        using var client = app.Client();
        var response = await SecuredApp.SignIn(client, "r" + Math.Abs(returnUrl.GetHashCode()), SecuredApp.Password, returnUrl);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}
