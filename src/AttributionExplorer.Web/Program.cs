using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Components;
using AttributionExplorer.Web.Endpoints;
using AttributionExplorer.Web.Services;
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
builder.Services.AddAttributionStorage(PathResolver.Resolve(options.DatabasePath), PathResolver.Resolve(options.DataRoot));
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddErrorResponses();

var app = builder.Build();
app.UseErrorResponses();
app.UseStaticFiles();
app.MapStaticAssets();
app.UseAntiforgery();
app.MapAppEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
return 0;

public partial class Program;
