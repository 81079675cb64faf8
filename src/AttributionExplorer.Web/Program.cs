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
builder.Services.AddSingleton(options);
builder.Services.AddAttributionStorage(PathResolver.Resolve(options.DatabasePath));
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddErrorResponses();

var app = builder.Build();
app.UseErrorResponses();
app.UseStaticFiles();
app.MapStaticAssets();
app.UseAntiforgery();
app.MapImageEndpoints();
app.MapJobEndpoints();
app.MapUploadEndpoints();
app.MapExportEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

public partial class Program;
