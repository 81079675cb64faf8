using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AttributionExplorer.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AttributionExplorer.Web.Security;

/// <summary>`Authorization: Bearer ae_…`: a per-user API token (`precompute users token`). Looked up by its SHA-256;
/// a revoked token, a removed or locked-out user fails. Token calls carry no cookie, so they need no antiforgery token.</summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IUserRepository users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    /// <summary>Claim marking a principal that came from a token (not a cookie).</summary>
    public const string TokenIdClaim = "ae:token_id";
    internal const string FailureKey = "AttributionExplorer.TokenFailure";

    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request)) return Task.FromResult(AuthenticateResult.NoResult());
        string token = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        if (!ApiTokens.LooksLikeToken(token)) return Fail("the bearer token is not an AttributionExplorer API token (ae_…; make one with `precompute users token`)");
        if (users.FindByTokenHash(ApiTokens.Hash(token)) is not { } found) return Fail("the API token is unknown or revoked");
        var (user, record) = found;
        if (user.IsLockedOut(DateTimeOffset.UtcNow)) return Fail($"user '{user.Name}' is locked out");
        users.MarkTokenUsed(record.Id, DateTime.UtcNow);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(TokenIdClaim, record.Id.ToString(CultureInfo.InvariantCulture)),
        ], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return Task.FromResult(AuthenticateResult.Fail(reason));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Context.Items.ContainsKey(FailureKey) ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Task.CompletedTask;
    }
}
