using System.Security.Claims;
using AttributionExplorer.Core.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AttributionExplorer.Web.Security;

/// <summary>A Blazor circuit outlives the request that opened it, so every minute it checks the user again: removed,
/// locked out, or a new security stamp (new password or role, `precompute users …`) turns the page signed-out.</summary>
public sealed class UserRevalidation(ILoggerFactory loggerFactory, IUserRepository users, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        Task.FromResult(StillValid(state.User, users, identity.Value.ClaimsIdentity.SecurityStampClaimType));

    public static bool StillValid(ClaimsPrincipal principal, IUserRepository users, string stampClaimType)
    {
        if (principal.Identity?.IsAuthenticated != true) return true;
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out long id) || users.Get(id) is not { } user) return false;
        return user.SecurityStamp == principal.FindFirstValue(stampClaimType) && user.Role == principal.FindFirstValue(ClaimTypes.Role)
            && !user.IsLockedOut(DateTimeOffset.UtcNow);
    }
}
