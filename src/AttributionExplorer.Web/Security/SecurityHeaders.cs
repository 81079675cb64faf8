namespace AttributionExplorer.Web.Security;

/// <summary>Headers on every response (pages, API, static files, errors). The CSP is what Blazor Server and MudBlazor
/// need and no more: scripts only from this origin (no inline script, no eval), inline styles (MudBlazor sets style
/// attributes and writes its theme as a style element), the circuit's WebSocket to this origin, no framing.</summary>
public static class SecurityHeaders
{
    public static string ContentSecurityPolicy(IEnumerable<string> formTargets) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action " + string.Join(" ", formTargets.Prepend("'self'"));

    /// <param name="formTargets">Origins a form may post or redirect to besides this one (the OpenID Connect provider).</param>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IEnumerable<string> formTargets)
    {
        string csp = ContentSecurityPolicy(formTargets);
        return app.Use((context, next) =>
        {
            // Set when the response starts, so headers cleared by the exception handler are set again on its error page.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = csp;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on their own form posts.
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            });
            return next();
        });
    }
}
