using AttributionExplorer.Core.Accounts;

namespace AttributionExplorer.Core.Options;

/// <summary>"AttributionExplorer:Security": sign-in, sessions, cross-origin callers and rate limits of the web app
/// (README "Sign-in and security").</summary>
public sealed class SecurityOptions
{
    /// <summary>The role of a visitor who has not signed in: "" (none: everything but the sign-in page needs a
    /// signed-in user) or "viewer" (read-only without signing in). Annotating and administering always need a user.</summary>
    public string AnonymousRole { get; set; } = "";
    /// <summary>Origins (scheme://host[:port]) besides the app's own that may send state-changing requests. Empty: none.</summary>
    public string[] AllowedOrigins { get; set; } = [];
    public int PasswordMinLength { get; set; } = PasswordRules.DefaultMinLength;
    /// <summary>Failed sign-ins in a row that lock a user out, and for how long.</summary>
    public int LockoutMaxFailedAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>How long a sign-in cookie lasts without use (sliding).</summary>
    public int SessionHours { get; set; } = 8;
    public RateLimitOptions RateLimits { get; set; } = new();
    public OpenIdConnectOptions OpenIdConnect { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        const string prefix = $"{AppOptions.Section}:Security:";
        if (AnonymousRole is not ("" or UserRoles.Viewer))
            yield return $"{prefix}AnonymousRole = {AnonymousRole}: must be empty (no anonymous access) or viewer; annotating and administering need a signed-in user";
        foreach (string origin in AllowedOrigins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || origin.EndsWith('/'))
                yield return $"{prefix}AllowedOrigins = {origin}: must be scheme://host[:port] (http or https, no path, no trailing /)";
        if (PasswordMinLength is < 8 or > PasswordRules.MaxLength)
            yield return $"{prefix}PasswordMinLength = {PasswordMinLength}: must be 8…{PasswordRules.MaxLength}";
        if (LockoutMaxFailedAttempts < 1) yield return $"{prefix}LockoutMaxFailedAttempts = {LockoutMaxFailedAttempts}: must be ≥ 1";
        if (LockoutMinutes < 1) yield return $"{prefix}LockoutMinutes = {LockoutMinutes}: must be ≥ 1";
        if (SessionHours < 1) yield return $"{prefix}SessionHours = {SessionHours}: must be ≥ 1";
        foreach (var (name, limit) in new[] { ("SignIn", RateLimits.SignIn), ("Uploads", RateLimits.Uploads), ("Jobs", RateLimits.Jobs) })
        {
            if (limit.PermitLimit < 1) yield return $"{prefix}RateLimits:{name}:PermitLimit = {limit.PermitLimit}: must be ≥ 1";
            if (limit.WindowSeconds < 1) yield return $"{prefix}RateLimits:{name}:WindowSeconds = {limit.WindowSeconds}: must be ≥ 1";
        }
        var oidc = OpenIdConnect;
        if (oidc.Enabled)
        {
            if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("http" or "https"))
                yield return $"{prefix}OpenIdConnect:Authority = {oidc.Authority}: must be the identity provider's https URL";
            if (oidc.ClientId.Trim().Length == 0) yield return $"{prefix}OpenIdConnect:ClientId = '': must be set when Authority is";
            if (oidc.NameClaim.Trim().Length == 0) yield return $"{prefix}OpenIdConnect:NameClaim = '': must name the claim holding the user name";
            if (oidc.DefaultRole.Length > 0 && !UserRoles.IsValid(oidc.DefaultRole))
                yield return $"{prefix}OpenIdConnect:DefaultRole = {oidc.DefaultRole}: must be empty (only users added beforehand) or {string.Join(", ", UserRoles.All)}";
        }
    }
}

/// <summary>Fixed-window limits: at most <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>.</summary>
public sealed class FixedWindowLimit
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>Per client address for sign-in, per user for uploads and jobs.</summary>
public sealed class RateLimitOptions
{
    public FixedWindowLimit SignIn { get; set; } = new() { PermitLimit = 10 };
    public FixedWindowLimit Uploads { get; set; } = new() { PermitLimit = 10 };
    public FixedWindowLimit Jobs { get; set; } = new() { PermitLimit = 30 };
}

/// <summary>Optional sign-in through an OpenID Connect provider (authorization code flow with PKCE). Off while
/// <see cref="Authority"/> is empty.</summary>
public sealed class OpenIdConnectOptions
{
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    /// <summary>Shown on the sign-in button.</summary>
    public string DisplayName { get; set; } = "single sign-on";
    /// <summary>The claim whose value is the user name here.</summary>
    public string NameClaim { get; set; } = "preferred_username";
    /// <summary>Role of a user the provider vouches for who does not exist here yet; empty: such a user is refused
    /// (an admin adds them first with `precompute users add --name N --role R --external`).</summary>
    public string DefaultRole { get; set; } = "";

    public bool Enabled => Authority.Trim().Length > 0;
}
