using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Endpoints;
using Microsoft.AspNetCore.Antiforgery;

namespace AttributionExplorer.Web.Security;

/// <summary>Cross-site request forgery and cross-origin callers. CORS stays closed (no Access-Control-* header is ever
/// sent), and a state-changing request or a WebSocket handshake whose Origin (or Sec-Fetch-Site) names another site is
/// refused with 403 before anything else runs, signed in or not. A cookie-authenticated state-changing /api call must
/// also prove it comes from the app's own pages — a same-origin Origin or Sec-Fetch-Site header, or the antiforgery
/// token in the RequestVerificationToken header; API-token calls carry no cookie and need neither.</summary>
public static class SameOriginGuard
{
    public static IApplicationBuilder UseSameOriginGuard(this IApplicationBuilder app) => app.Use(Check);

    private static async Task Check(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (!ChangesState(request.Method) && !context.WebSockets.IsWebSocketRequest)
        {
            await next();
            return;
        }
        string self = $"{request.Scheme}://{request.Host}";
        string? origin = request.Headers.Origin.FirstOrDefault();
        string? fetchSite = request.Headers["Sec-Fetch-Site"].FirstOrDefault();
        var security = context.RequestServices.GetRequiredService<SecurityOptions>();
        bool sameOrigin;
        if (origin is not null)
        {
            sameOrigin = string.Equals(origin, self, StringComparison.OrdinalIgnoreCase) || security.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
            if (!sameOrigin)
            {
                await Refuse(context, $"Cross-origin request refused: Origin {origin} is not this site ({self}). " +
                    "Call the API from the app's own pages or with an API token from a server; allowed origins are set in AttributionExplorer:Security:AllowedOrigins.");
                return;
            }
        }
        else if (fetchSite is "cross-site" or "same-site")
        {
            await Refuse(context, $"Cross-origin request refused: the browser says it comes from another site (Sec-Fetch-Site: {fetchSite}).");
            return;
        }
        else sameOrigin = fetchSite == "same-origin";

        bool cookieSession = context.User.Identity?.IsAuthenticated == true && !context.User.HasClaim(c => c.Type == ApiTokenHandler.TokenIdClaim);
        if (!sameOrigin && cookieSession && request.Path.StartsWithSegments("/api") && ChangesState(request.Method))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Refuse(context, "A signed-in browser session must send the antiforgery token (header RequestVerificationToken) " +
                    "or call from the app's own pages; scripts and servers use an API token (Authorization: Bearer …) instead.");
                return;
            }
        }
        await next();
    }

    private static bool ChangesState(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private static Task Refuse(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return ErrorResponses.Write(context, StatusCodes.Status403Forbidden, detail);
    }
}
