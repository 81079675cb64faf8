using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Tests.Shared;

namespace AttributionExplorer.Web.Tests.Security;

/// <summary>What each role may do over the API, per-user API tokens (valid, wrong, revoked), and the optional
/// anonymous viewer.</summary>
public sealed class RolesAndTokensTests(SecuredApp app) : IClassFixture<SecuredApp>
{
    private string Api => $"/api/datasets/{app.DatasetId}";

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<string> Detail(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task AViewerReadsButCannotUploadQueueOrExport()
    {
        using var viewer = app.TokenClient("vic", UserRoles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"{Api}/ranking-methods")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"{Api}/exports")).StatusCode);

        var upload = await viewer.PostAsync($"{Api}/uploads", SecuredApp.PngUpload());
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal("Your role may not do this.", await Detail(upload));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"{Api}/images/{app.Seeded.HeldOut}/region-jobs", Json("{\"x\":0,\"y\":0,\"width\":1,\"height\":1}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"{Api}/exports", Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task AnAnnotatorExportsUnderTheirOwnNameButCannotUploadOrQueue()
    {
        using var annotator = app.TokenClient("ann.o", UserRoles.Annotator);
        var created = await annotator.PostAsync($"{Api}/exports", Json("{\"author\":\"someone else\"}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        long id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exportId").GetInt64();
        Assert.Equal("ann.o", (await annotator.GetFromJsonAsync<JsonElement>($"{Api}/exports/{id}")).GetProperty("author").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await annotator.PostAsync($"{Api}/uploads", SecuredApp.PngUpload())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await annotator.PostAsync($"{Api}/images/{app.Seeded.HeldOut}/region-jobs", Json("{\"x\":0,\"y\":0,\"width\":1,\"height\":1}"))).StatusCode);
    }

    [Fact]
    public async Task AnAdminUploadsAndQueuesJobs()
    {
        using var admin = app.TokenClient("root.admin", UserRoles.Admin);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"{Api}/uploads", SecuredApp.PngUpload())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"{Api}/images/{app.Seeded.HeldOut}/region-jobs", Json("{\"x\":0,\"y\":0,\"width\":1,\"height\":1}"))).StatusCode);
    }

    [Fact]
    public async Task AWrongOrRevokedTokenIsRefusedWith401()
    {
        using var client = app.Client();
        string token = app.Seeded.TokenFor("bot", UserRoles.Viewer);
        async Task<HttpResponseMessage> Get(string bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Api}/ranking-methods");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            return await client.SendAsync(request);
        }
        Assert.Equal(HttpStatusCode.OK, (await Get(token)).StatusCode);
        Assert.NotNull(app.Users.ListTokens(app.Users.FindByNormalizedName("BOT")!.Id).Single().LastUsedUtc);

        var wrong = await Get(ApiTokens.New());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString());
        Assert.Equal("The API token was refused: the API token is unknown or revoked.", await Detail(wrong));
        Assert.Contains("not an AttributionExplorer API token", await Detail(await Get("not-a-token")));

        app.Users.RevokeTokens(app.Users.FindByNormalizedName("BOT")!.Id, null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(token)).StatusCode);
    }

    [Fact]
    public async Task ATokenOfALockedOutUserIsRefused()
    {
        string token = app.Seeded.TokenFor("locked.bot", UserRoles.Admin);
        var user = app.Users.FindByNormalizedName("LOCKED.BOT")!;
        app.Users.Update(user with { LockoutEndUtc = DateTimeOffset.UtcNow.AddMinutes(5) }, user.ConcurrencyStamp);
        using var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync($"{Api}/ranking-methods");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("locked out", await Detail(response));
    }
}

/// <summary>AnonymousRole = viewer: reading needs no sign-in, changing anything still does.</summary>
public sealed class AnonymousViewerApp() : SecuredApp(new Dictionary<string, string> { ["AttributionExplorer:Security:AnonymousRole"] = "viewer" });

public sealed class AnonymousViewerTests(AnonymousViewerApp app) : IClassFixture<AnonymousViewerApp>
{
    [Fact]
    public async Task ReadsWithoutSigningInButChangesNothing()
    {
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/datasets/{app.DatasetId}/ranking-methods")).StatusCode);
        using var page = new HttpRequestMessage(HttpMethod.Get, $"/datasets/{app.DatasetId}");
        page.Headers.Add("Accept", "text/html");
        var html = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("data-action=\"sign-in\"", await html.Content.ReadAsStringAsync());
        var export = await client.PostAsync($"/api/datasets/{app.DatasetId}/exports", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
    }
}
