using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Endpoints;
using AttributionExplorer.Web.Security;
using AttributionExplorer.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>The app's HTTP endpoints (the same registration and mapping as Program) on a loopback Kestrel port, over
/// the seeded database file; requests go through real routing, binding and serialization.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private ApiHost(WebApplication app, HttpClient client)
    {
        this.app = app;
        Client = client;
    }

    /// <summary>Does not follow redirects, so tests see them.</summary>
    public HttpClient Client { get; }

    public string BaseAddress => app.Urls.First();

    /// <summary>The client calls as an admin with an API token (the app's sign-in and guards are in place).</summary>
    public static async Task<ApiHost> Start(SeededDatabase db)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(new AppOptions { DataRoot = Path.GetDirectoryName(db.Database.Path)! });
        builder.Services.AddAttributionStorage(db.Database.Path, Path.GetDirectoryName(db.Database.Path)!);
        builder.Services.AddAppSecurity(new SecurityOptions());
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseRouting();
        app.UseAppSecurity();
        app.MapAppEndpoints();
        await app.StartAsync();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", db.TokenFor("api-admin", UserRoles.Admin));
        return new ApiHost(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
