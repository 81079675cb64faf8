using System.Security.Claims;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace AttributionExplorer.Web.Security;

/// <summary>The end of an OpenID Connect sign-in: an identity already linked signs in; otherwise the provider's name
/// claim decides. It may link only to a user made for external sign-in (no password), so a provider account can never
/// take over a password user; an unknown name gets the configured default role, or is refused.</summary>
public static class ExternalSignIn
{
    public const string Scheme = "oidc";

    public enum Outcome { Link, Create, Refuse }

    public sealed record Decision(Outcome Outcome, string Error = "");

    public static Decision Decide(string? name, UserRecord? existing, IReadOnlyList<ExternalLogin> existingLogins, string provider, string defaultRole)
    {
        if (name is null || UserNames.Problem(name) is not null) return new(Outcome.Refuse, "external-name");
        if (existing is not null)
            return existing.PasswordHash is null && existingLogins.All(l => l.Provider != provider)
                ? new(Outcome.Link)
                : new(Outcome.Refuse, "external-taken");
        return defaultRole.Length > 0 ? new(Outcome.Create) : new(Outcome.Refuse, "external-unknown");
    }

    public static async Task<IResult> Complete(string returnUrl, HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
        IUserRepository repository, OpenIdConnectOptions oidc)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null) return Results.Redirect(AccountEndpoints.Page("external", returnUrl));
        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (result.Succeeded) return Results.LocalRedirect(returnUrl);
        if (result.IsLockedOut) return Results.Redirect(AccountEndpoints.Page("locked", returnUrl));

        string? name = info.Principal.FindFirstValue(oidc.NameClaim);
        var existing = name is null || UserNames.Problem(name) is not null ? null : repository.FindByNormalizedName(UserNames.Normalize(name));
        var decision = Decide(name, existing, existing is null ? [] : repository.ListLogins(existing.Id), info.LoginProvider, oidc.DefaultRole);
        AppUser user;
        switch (decision.Outcome)
        {
            case Outcome.Refuse:
                await http.SignOutAsync(IdentityConstants.ExternalScheme);
                return Results.Redirect(AccountEndpoints.Page(decision.Error, returnUrl));
            case Outcome.Create:
                user = new AppUser { UserName = name!, Role = oidc.DefaultRole };
                if (!(await users.CreateAsync(user)).Succeeded) return Results.Redirect(AccountEndpoints.Page("external-taken", returnUrl));
                break;
            default:
                user = AppUser.From(existing!);
                break;
        }
        if (!(await users.AddLoginAsync(user, new UserLoginInfo(info.LoginProvider, info.ProviderKey, oidc.DisplayName))).Succeeded)
            return Results.Redirect(AccountEndpoints.Page("external", returnUrl));
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        await signIn.SignInAsync(user, isPersistent: false, Scheme);
        return Results.LocalRedirect(returnUrl);
    }
}
