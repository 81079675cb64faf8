using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace AttributionExplorer.Web.Security;

/// <summary>Sign-in (ASP.NET Core Identity over the user port: password hashing, lockout, security stamps; cookie
/// for browsers, API tokens for scripts; optional OpenID Connect), roles as policies, and the request guards. Program
/// and the endpoint tests register and order them the same way.</summary>
public static class SecurityRegistration
{
    /// <summary>Chooses the token handler when a bearer token is sent, the Identity cookie otherwise.</summary>
    public const string SelectorScheme = "CookieOrToken";

    public static IServiceCollection AddAppSecurity(this IServiceCollection services, SecurityOptions security)
    {
        services.AddSingleton(security);
        services.AddAntiforgery();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "cookie or API token", o =>
                o.ForwardDefaultSelector = http => ApiTokenHandler.HasBearer(http.Request) ? ApiTokenHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
            .AddIdentityCookies();
        if (security.OpenIdConnect.Enabled)
        {
            var oidc = security.OpenIdConnect;
            services.AddAuthentication().AddOpenIdConnect(ExternalSignIn.Scheme, oidc.DisplayName, o =>
            {
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret.Length > 0 ? oidc.ClientSecret : null;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.Scope.Add("profile");
                o.CallbackPath = "/signin-oidc";
            });
        }
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "ae.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(security.SessionHours);
            o.SlidingExpiration = true;
            o.LoginPath = AccountEndpoints.SignInPage;
            o.AccessDeniedPath = AccountEndpoints.SignInPage;
            // Pages are sent to the sign-in page; API calls, the circuit and scripts get a 401/403 ProblemDetails.
            o.Events.OnRedirectToLogin = c => Answer(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Answer(c, StatusCodes.Status403Forbidden);
        });
        // A new security stamp (password or role changed, user removed) ends cookie sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = security.LockoutMaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.LockoutMinutes);
                // Identity's composition rules are off: AppPasswordValidator applies PasswordRules, as the CLI does.
                o.Password = new PasswordOptions { RequiredLength = security.PasswordMinLength, RequireDigit = false, RequireLowercase = false,
                    RequireUppercase = false, RequireNonAlphanumeric = false, RequiredUniqueChars = 1 };
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + UserNames.AllowedPunctuation;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddUserStore<SqliteUserStore>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddPasswordValidator<AppPasswordValidator>();
        services.AddSingleton<ILookupNormalizer, AppLookupNormalizer>();

        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        var builder = services.AddAuthorizationBuilder();
        foreach (string role in UserRoles.All) builder.AddPolicy(RolePolicies.For(role), p => p.AddRequirements(new RoleRequirement(role)));
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new RoleRequirement(UserRoles.Viewer)).Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, UserRevalidation>();
        services.AddAppRateLimits(security.RateLimits);
        return services;
    }

    /// <summary>The request guards in order: who is asking, whether the request may cross origins, whether the role
    /// suffices, rate limits, antiforgery for form posts.</summary>
    public static WebApplication UseAppSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseSameOriginGuard();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Origins a form may target besides this one (for the CSP's form-action).</summary>
    public static IEnumerable<string> FormTargets(SecurityOptions security) =>
        security.OpenIdConnect.Enabled && Uri.TryCreate(security.OpenIdConnect.Authority, UriKind.Absolute, out var authority)
            ? [authority.GetLeftPart(UriPartial.Authority)]
            : [];

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        bool page = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !request.Path.StartsWithSegments("/api")
                    && !request.Path.StartsWithSegments("/_blazor") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (page && status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return ErrorResponses.Write(context.HttpContext, status, status == StatusCodes.Status401Unauthorized
            ? "Sign in first (the sign-in page is /signin), or send an API token: Authorization: Bearer … (`precompute users token --name NAME`)."
            : $"Your role ({SignedInUser.From(context.HttpContext.User, context.HttpContext.RequestServices.GetRequiredService<SecurityOptions>()).Role ?? "none"}) may not do this.");
    }
}
