using System.Security.Claims;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using Microsoft.AspNetCore.Authorization;

namespace AttributionExplorer.Web.Security;

/// <summary>One authorization policy per role, each met by that role or a higher one; the viewer policy is the
/// fallback every page and endpoint gets unless it says otherwise (sign-in page, static assets, health).</summary>
public static class RolePolicies
{
    public const string Viewer = "role:viewer";
    public const string Annotator = "role:annotator";
    public const string Admin = "role:admin";

    public static string For(string role) => "role:" + role;
}

/// <summary>Met when the user's role includes <see cref="Role"/>; a visitor who has not signed in has the configured
/// anonymous role (none by default).</summary>
public sealed record RoleRequirement(string Role) : IAuthorizationRequirement;

public sealed class RoleRequirementHandler(SecurityOptions security) : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (SignedInUser.From(context.User, security).May(requirement.Role)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Who is asking, as pages and endpoints need it: the signed-in user's name and role, or the anonymous role.</summary>
public sealed record SignedInUser(string? Name, string? Role)
{
    public bool IsSignedIn => Name is not null;

    public bool May(string role) => UserRoles.Includes(Role, role);

    /// <summary>From a component's cascading authentication state (none: as a visitor who has not signed in).</summary>
    public static async Task<SignedInUser> Of(Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? state, SecurityOptions security) =>
        From(state is null ? null : (await state).User, security);

    public static SignedInUser From(ClaimsPrincipal? principal, SecurityOptions security) =>
        principal?.Identity is { IsAuthenticated: true, Name: { } name }
            ? new SignedInUser(name, principal.FindFirstValue(ClaimTypes.Role))
            : new SignedInUser(null, security.AnonymousRole.Length > 0 ? security.AnonymousRole : null);
}
