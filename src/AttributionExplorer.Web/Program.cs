using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Components;
using AttributionExplorer.Web.Endpoints;
using AttributionExplorer.Web.Security;
using AttributionExplorer.Web.Services;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;

// The repository's top-level wwwroot is the static root when run from a checkout; a publish carries its own copy.
string repoWebRoot = PathResolver.Resolve("wwwroot");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Directory.Exists(repoWebRoot) ? repoWebRoot : null,
});
// Serve package assets (MudBlazor, blazor.web.js) from the build output too, not only in Development or after publish.
builder.WebHost.UseStaticWebAssets();
var options = AppOptions.CreateForBinding();
builder.Configuration.GetSection(AppOptions.Section).Bind(options);
options.WithDefaultsForEmptyArrays();
var problems = OptionsProblems.Of(options);
if (problems.Count > 0)
{
    // A bad setting stops the app before it serves anything, naming each key.
    Console.Error.WriteLine($"error: appsettings.json: {string.Join("; ", problems)}");
    return 1;
}
builder.Services.AddOptionSections(options);
AttributionExplorer.Storage.StorageBackend storage;
try { storage = AttributionExplorer.Storage.Providers.StorageProvider.Open(options); }
catch (Npgsql.NpgsqlException e)
{
    Console.Error.WriteLine($"error: PostgreSQL ({AppOptions.Section}:Storage:ConnectionString): {e.Message}");
    return 1;
}
builder.Services.AddAttributionStorage(storage);
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddErrorResponses();
builder.Services.AddAppSecurity(options.Security);
// Sign-in cookies and antiforgery tokens stay valid across restarts: their keys live with the data.
builder.Services.AddDataProtection().SetApplicationName("AttributionExplorer")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(PathResolver.Resolve(options.DataRoot), "keys")));

var app = builder.Build();
app.UseSecurityHeaders(SecurityRegistration.FormTargets(options.Security));
app.UseErrorResponses();
app.UseHsts();
// wwwroot (app.css, app.js) is public and served before routing: once routing has picked an endpoint (Blazor maps a
// {**path:file} fallback), the static file middleware steps aside and the sign-in requirement would apply.
app.UseStaticFiles();
app.UseRouting();
app.UseAppSecurity();
app.MapStaticAssets().AllowAnonymous();
app.MapAccountEndpoints();
app.MapAppEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
return 0;

public partial class Program;
