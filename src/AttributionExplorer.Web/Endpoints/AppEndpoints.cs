namespace AttributionExplorer.Web.Endpoints;

public static class AppEndpoints
{
    /// <summary>Every HTTP endpoint of the app besides the pages (the app and the endpoint tests map the same set).</summary>
    public static void MapAppEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapImageEndpoints();
        app.MapJobEndpoints();
        app.MapUploadEndpoints();
        app.MapExportEndpoints();
        app.MapRankingEndpoints();
        app.MapLegacyRedirects();
    }
}
