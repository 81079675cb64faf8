using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AttributionExplorer.Web.Security;

/// <summary>Sign-in and sign-out as plain form posts (antiforgery-checked by the form binding), the optional OpenID
/// Connect round trip, and a health check. The sign-in page itself is <c>Components/Account/SignInPage.razor</c>.</summary>
public static class AccountEndpoints
{
    public const string SignInPage = "/signin";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (StorageBackend storage) => Results.Ok(new { status = "ok", schemaVersion = storage.SchemaVersion })).AllowAnonymous();

        app.MapPost("/account/signin", async ([FromForm] string? name, [FromForm] string? password, [FromForm] string? returnUrl,
            SignInManager<AppUser> signIn, SecurityOptions security) =>
        {
            string back = LocalUrl.OrHome(returnUrl);
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password)) return Results.Redirect(Page("missing", back));
            var result = await signIn.PasswordSignInAsync(name.Trim(), password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded) return Results.LocalRedirect(back);
            return Results.Redirect(Page(result.IsLockedOut ? "locked" : "invalid", back));
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);

        app.MapPost("/account/signout", async (HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.Problem("The sign-out form's antiforgery token is missing or invalid: reload the page and sign out again.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Bad Request");
            await signIn.SignOutAsync();
            return Results.Redirect(SignInPage + "?signedOut=1");
        }).AllowAnonymous();

        app.MapPost("/account/external", ([FromForm] string? returnUrl, SignInManager<AppUser> signIn, SecurityOptions security) =>
        {
            if (!security.OpenIdConnect.Enabled) return Results.NotFound();
            string callback = "/account/external-callback?returnUrl=" + Uri.EscapeDataString(LocalUrl.OrHome(returnUrl));
            return Results.Challenge(signIn.ConfigureExternalAuthenticationProperties(ExternalSignIn.Scheme, callback), [ExternalSignIn.Scheme]);
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);

        app.MapGet("/account/external-callback", (string? returnUrl, HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
                IUserRepository repository, SecurityOptions security) =>
            ExternalSignIn.Complete(LocalUrl.OrHome(returnUrl), http, signIn, users, repository, security.OpenIdConnect))
            .AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
    }

    public static string Page(string error, string returnUrl) =>
        $"{SignInPage}?error={error}" + (returnUrl == "/" ? "" : "&ReturnUrl=" + Uri.EscapeDataString(returnUrl));
}

/// <summary>Where to go after signing in: only a path on this site (never "//host" or "/\host", which browsers treat as
/// another site), so a crafted link cannot send a user elsewhere.</summary>
public static class LocalUrl
{
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
