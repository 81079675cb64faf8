using System.Net;
using System.Text.RegularExpressions;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Storage.Repositories;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AttributionExplorer.Web.Tests.Security;

/// <summary>The real app (Production settings, every guard in place) on a seeded database, with users to sign in as
/// and settings a test may change (e.g. low rate limits).</summary>
public class SecuredApp : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string>? settings;

    public SecuredApp() : this(null) { }

    protected SecuredApp(IReadOnlyDictionary<string, string>? settings) => this.settings = settings;

    public const string Password = "a long enough password";

    /// <summary>A valid 3×2 PNG as the upload form's "file" field.</summary>
    public static MultipartFormDataContent PngUpload()
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(AttributionExplorer.Tests.Shared.PngBytes.Rgb(3, 2));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "x.png");
        return form;
    }
    internal SeededDatabase Seeded { get; } = new();
    public string DataRoot { get; } = Directory.CreateTempSubdirectory("ae-web-sec").FullName;
    public long DatasetId => Seeded.DatasetId;
    internal UserRepository Users => new(Seeded.Database);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("AttributionExplorer:DatabasePath", Seeded.Database.Path);
        builder.UseSetting("AttributionExplorer:DataRoot", DataRoot);
        // Many sign-ins and uploads from one test client within a second: limits only a test of them sets.
        foreach (string limit in new[] { "SignIn", "Uploads", "Jobs" }) builder.UseSetting($"AttributionExplorer:Security:RateLimits:{limit}:PermitLimit", "10000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        // Checks the security stamp on every request, so a test sees a changed stamp at once (the app: once a minute).
        builder.ConfigureTestServices(s => s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero));
    }

    /// <summary>A user who signs in with <see cref="Password"/>.</summary>
    public UserRecord AddUser(string name, string role) =>
        Users.Create(new NewUser(name, role, new PasswordHasher<object>().HashPassword(new object(), Password)));

    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient TokenClient(string name, string role)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Seeded.TokenFor(name, role));
        return client;
    }

    /// <summary>Opens the sign-in page (for its antiforgery cookie and token) and posts the form; returns the answer.</summary>
    public static async Task<HttpResponseMessage> SignIn(HttpClient client, string name, string password, string returnUrl = "/")
    {
        string token = await FormToken(client, "/signin");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = name, ["password"] = password, ["returnUrl"] = returnUrl,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = form };
        request.Headers.Add("Origin", "http://localhost");
        return await client.SendAsync(request);
    }

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static async Task<string> FormToken(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "text/html");
        var page = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var match = Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(match.Success, $"no antiforgery token on {path}");
        return match.Groups[1].Value;
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
