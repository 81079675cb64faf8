using System.Security.Claims;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AttributionExplorer.Web.Security;

/// <summary>Adds the user's role to the cookie's claims (Identity's own factory adds id, name and security stamp).</summary>
public sealed class AppClaimsPrincipalFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, user.Role));
        return identity;
    }
}

/// <summary>The same name comparison as the `precompute users` CLI (<see cref="UserNames.Normalize"/>).</summary>
public sealed class AppLookupNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => name is null ? null : UserNames.Normalize(name);
    public string? NormalizeEmail(string? email) => email is null ? null : UserNames.Normalize(email);
}

/// <summary>The same password rules as the `precompute users` CLI (<see cref="PasswordRules"/>).</summary>
public sealed class AppPasswordValidator(SecurityOptions security) : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(PasswordRules.Problem(password, user.UserName, security.PasswordMinLength) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordRule", Description = problem })
            : IdentityResult.Success);
}
